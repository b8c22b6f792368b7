"""The end-to-end demo: a bundled partner table through every step of harmonize."""
