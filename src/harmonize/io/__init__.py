"""Reading every input kind within limits, and writing outputs safely.

Reading: tables (:mod:`.tables`, :mod:`.xlsx`), YAML (:mod:`.yaml_text`), JSON
(:mod:`.json_text`), gzip/zstd (:mod:`.archives`), RDF/XML entities (:mod:`.xml_guard`),
RDF data files (:mod:`.rdf`); the limits live in :mod:`.limits`. Writing:
:mod:`.atomic` (one file) and :mod:`.staging` (all outputs of a command together).
"""

from harmonize.io.atomic import (
    atomic_write,
    atomic_write_bytes,
    atomic_write_text,
    check_output_path,
)
from harmonize.io.checksum import file_sha256
from harmonize.io.limits import DEFAULT_LIMITS, ReadLimits
from harmonize.io.staging import staged_outputs
from harmonize.io.tables import Table, iter_rows, read_table, read_terms

__all__ = [
    "DEFAULT_LIMITS",
    "ReadLimits",
    "Table",
    "atomic_write",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_output_path",
    "file_sha256",
    "iter_rows",
    "read_table",
    "read_terms",
    "staged_outputs",
]
