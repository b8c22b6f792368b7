"""Partner columns -> schema slots, and a column's values -> the slot's codes."""
