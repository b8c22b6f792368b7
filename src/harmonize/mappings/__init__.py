"""SSSOM mapping sets: the model, reading and writing, the decision ledger."""

from harmonize.mappings.model import (
    JUSTIFICATION_LEXICAL,
    JUSTIFICATION_MANUAL,
    JUSTIFICATION_SIMILARITY,
    Mapping,
    MappingSet,
)
from harmonize.mappings.sssom_io import read_sssom, write_sssom

__all__ = [
    "JUSTIFICATION_LEXICAL",
    "JUSTIFICATION_MANUAL",
    "JUSTIFICATION_SIMILARITY",
    "Mapping",
    "MappingSet",
    "read_sssom",
    "write_sssom",
]
