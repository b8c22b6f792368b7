"""The public jobs, one function each; ``import harmonize`` re-exports them.

The CLI, the demo and the notebook call these and nothing deeper, so every way into
harmonize runs the same code.
"""
