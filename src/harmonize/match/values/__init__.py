"""Local values -> ontology terms: the index of names, the matcher, calibrated confidence."""
