"""Helpers for harmonize's own tests and benchmarks (the fuzz run of every reader)."""
