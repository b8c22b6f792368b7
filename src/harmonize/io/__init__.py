"""Reading partner tables and writing files safely."""

from harmonize.io.atomic import atomic_write, atomic_write_bytes, atomic_write_text
from harmonize.io.checksum import file_sha256
from harmonize.io.tables import Table, iter_rows, read_table, read_terms

__all__ = [
    "Table",
    "atomic_write",
    "atomic_write_bytes",
    "atomic_write_text",
    "file_sha256",
    "iter_rows",
    "read_table",
    "read_terms",
]
