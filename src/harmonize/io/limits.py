"""The safety limits of every reader, in one place.

A hostile or broken file (a "billion laughs" entity, a zip bomb, YAML nested a thousand
levels deep, a workbook claiming a million columns) must fail with one clear line before
it costs memory or time. Each limit below is checked before the work it guards; the
defaults are far above what real partner tables, schemas and ontologies need.

>>> DEFAULT_LIMITS.max_depth
100
>>> ReadLimits(max_depth=20).max_depth
20
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "ReadLimits"]

_MiB = 1 << 20
_GiB = 1 << 30


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Limits the reading layer (:mod:`harmonize.io`) enforces; every field has a default."""

    #: Nesting of YAML and JSON collections (LinkML schemas nest < 10 levels).
    max_depth: int = 100
    #: Size of a YAML document (schemas, policies, manifests, SSSOM ``#`` headers).
    max_yaml_bytes: int = 64 * _MiB
    #: YAML nodes after expanding ``*alias`` references ("billion laughs" in YAML).
    max_yaml_nodes: int = 2_000_000
    #: Size of a JSON document parsed in memory (GDC dictionary, OBO Graphs, cellxgene).
    max_json_bytes: int = 1 * _GiB
    #: Size of another text file read whole (an SSSOM/TSV mapping set).
    max_text_bytes: int = 1 * _GiB
    #: Size of a pseudonymization key file (a key is a few dozen bytes).
    max_key_bytes: int = 64 * 1024
    #: Length of one JSON string, table cell or CSV field, in characters.
    max_cell_chars: int = 1 * _MiB
    #: Columns of a table (Excel's own maximum).
    max_columns: int = 16_384
    #: Rows of an Excel sheet (Excel's own maximum; CSV/TSV tables stream and have none).
    max_sheet_rows: int = 1_048_576
    #: Bytes a gzip/zstd file or an Excel workbook may unpack to.
    max_unpacked_bytes: int = 2 * _GiB
    #: Unpacked/packed size ratio allowed once the unpacked size passes ``ratio_floor``.
    max_ratio: int = 100
    #: Unpacked bytes below which any ratio is fine (small files compress freely).
    ratio_floor: int = 64 * _MiB
    #: Bytes XML entity references may add to an RDF/XML file: the larger of this...
    max_entity_bytes: int = 16 * _MiB
    #: ... and this multiple of the file's own size (``&obo;``-style prefixes add little).
    max_entity_ratio: int = 4
    #: Bytes of an XML file's start (prolog and internal DTD) read to find its entities.
    max_dtd_bytes: int = 4 * _MiB


#: The limits every reader uses unless given others.
DEFAULT_LIMITS = ReadLimits()
