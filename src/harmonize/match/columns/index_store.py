"""A :class:`~harmonize.match.columns.index.SlotIndex` on disk without pickle.

The numpy arrays go into an ``.npz`` (``np.savez``, read back with
``allow_pickle=False``); everything else (vocabularies, name lists, dicts of slot
numbers, pattern texts) is one JSON document stored inside the same file as a byte
array, so a single atomic write keeps both parts consistent. The slots themselves are
not stored: the caller passes the class's slots, and their names must match the stored
ones. Every array's dtype and shape and every index's range is checked on the way in,
so a damaged or tampered file raises :class:`IndexStoreError` and is never used.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harmonize.errors import HarmonizeError

if TYPE_CHECKING:
    import numpy.typing as npt

    from harmonize.match.columns.index import SlotIndex, Vectorizer
    from harmonize.schema import SlotInfo

__all__ = ["IndexStoreError", "index_from_arrays", "index_to_arrays", "read_index", "write_index"]

FORMAT = "harmonize.slot-index"
FORMAT_VERSION = 1

#: Per-slot arrays and their dtype names.
_SLOT_ARRAYS = {
    "numeric": "float32",
    "enum": "bool",
    "enum_numeric": "bool",
    "kind_date": "float32",
    "kind_bool": "float32",
    "kind_id": "float32",
    "minimum": "float32",
    "maximum": "float32",
}
_VECTORIZERS = ("name_vec", "desc_vec")


class IndexStoreError(HarmonizeError):
    """A stored slot index is damaged, of another format, or for other slots."""


def index_to_arrays(index: SlotIndex) -> dict[str, npt.NDArray[Any]]:
    """Plain numpy arrays (no object dtype) for ``index``; ``meta`` holds the JSON part."""
    import numpy as np

    arrays: dict[str, npt.NDArray[Any]] = {k: getattr(index, k) for k in _SLOT_ARRAYS}
    for name in ("pv_slot", "pv_starts", "pv_owner", "pv_words"):
        arrays[name] = getattr(index, name)
    vocabularies: dict[str, list[str]] = {}
    for name in _VECTORIZERS:
        words, parts = getattr(index, name).to_arrays()
        vocabularies[name] = words
        for part, array in parts.items():
            arrays[f"{name}.{part}"] = array
    posting_words = list(index.pv_postings)
    lists = [index.pv_postings[w] for w in posting_words]
    arrays["pv_postings.rows"] = (
        np.concatenate(lists).astype(np.int32) if lists else np.zeros(0, dtype=np.int32)
    )
    arrays["pv_postings.offsets"] = np.concatenate(
        [[0], np.cumsum([len(rows) for rows in lists], dtype=np.int64)]
    ).astype(np.int64)
    meta = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "slot_names": [s.name for s in index.slots],
        "name_words": sorted(index.name_words),
        "names": list(index.names),
        "compact": list(index.compact),
        "exact_names": {k: list(v) for k, v in index.exact_names.items()},
        "vocabularies": vocabularies,
        "patterns": [[i, p.pattern] for i, p in index.patterns],
        "quantity": [sorted(q) for q in index.quantity],
        "pv_text": list(index.pv_text),
        "pv_exact": {k: list(v) for k, v in index.pv_exact.items()},
        "pv_postings.words": posting_words,
    }
    data = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    arrays["meta"] = np.frombuffer(data, dtype=np.uint8)
    return arrays


class _BadError(Exception):
    pass


def _strs(value: Any, what: str, length: int | None = None) -> list[str]:
    if type(value) is not list or any(type(v) is not str for v in value):
        raise _BadError(f"{what} is not a list of strings")
    if length is not None and len(value) != length:
        raise _BadError(f"{what} has {len(value)} entries, expected {length}")
    return value


def _slot_numbers(value: Any, what: str, n: int) -> dict[str, tuple[int, ...]]:
    if type(value) is not dict:
        raise _BadError(f"{what} is not an object")
    out: dict[str, tuple[int, ...]] = {}
    for key, numbers in value.items():
        if type(numbers) is not list or any(type(i) is not int or not 0 <= i < n for i in numbers):
            raise _BadError(f"{what}[{key!r}] is not a list of slot numbers")
        out[key] = tuple(numbers)
    return out


def _array(arrays: Any, key: str, dtype: str, shape: tuple[int | None, ...]) -> npt.NDArray[Any]:
    import numpy as np

    try:
        array: npt.NDArray[Any] = arrays[key]
    except KeyError:
        raise _BadError(f"array {key!r} is missing") from None
    if array.dtype != np.dtype(dtype) or array.ndim != len(shape):
        raise _BadError(f"array {key!r} is {array.dtype}{array.shape}, expected {dtype}")
    if any(want is not None and got != want for got, want in zip(array.shape, shape, strict=True)):
        raise _BadError(f"array {key!r} has shape {array.shape}, expected {shape}")
    return array


def _in_range(array: npt.NDArray[Any], stop: int, key: str) -> None:
    if array.size and (int(array.min()) < 0 or int(array.max()) >= stop):
        raise _BadError(f"array {key!r} points outside 0..{stop - 1}")


def index_from_arrays(arrays: Any, slots: tuple[SlotInfo, ...]) -> SlotIndex:
    """Rebuild the :class:`SlotIndex` of ``slots`` from :func:`index_to_arrays` output.

    ``arrays`` is a mapping of name -> array (a dict or an opened ``.npz``). Raises
    :class:`IndexStoreError` if anything is missing, mistyped, out of range or for
    other slots.
    """
    try:
        return _from_arrays(arrays, slots)
    except (_BadError, KeyError, TypeError, ValueError, UnicodeDecodeError, re.error) as exc:
        raise IndexStoreError(f"not a valid stored slot index: {exc}") from None


def _from_arrays(arrays: Any, slots: tuple[SlotInfo, ...]) -> SlotIndex:
    from harmonize.match.columns.index import SlotIndex

    meta = json.loads(bytes(_array(arrays, "meta", "uint8", (None,))).decode("utf-8"))
    if type(meta) is not dict:
        raise _BadError("meta is not an object")
    if meta.get("format") != FORMAT or meta.get("version") != FORMAT_VERSION:
        raise _BadError(f"not a {FORMAT} store of version {FORMAT_VERSION}")
    n = len(slots)
    if _strs(meta["slot_names"], "slot_names") != [s.name for s in slots]:
        raise _BadError("stored for other slots")
    per_slot = {k: _array(arrays, k, dtype, (n,)) for k, dtype in _SLOT_ARRAYS.items()}
    pv_text = tuple(_strs(meta["pv_text"], "pv_text"))
    n_pv = len(pv_text)
    pv_slot = _array(arrays, "pv_slot", "int32", (n_pv,))
    pv_owner = _array(arrays, "pv_owner", "intp", (None,))
    pv_starts = _array(arrays, "pv_starts", "intp", pv_owner.shape)
    pv_words = _array(arrays, "pv_words", "float32", (n_pv,))
    _in_range(pv_slot, n, "pv_slot")
    _in_range(pv_owner, n, "pv_owner")
    _in_range(pv_starts, max(n_pv, 1), "pv_starts")
    vectorizers = _vectorizers(arrays, meta, n)
    postings = _postings(arrays, meta, n_pv)
    patterns = _patterns(meta, n)
    quantity = meta["quantity"]
    if type(quantity) is not list or len(quantity) != n:
        raise _BadError("quantity is not one list per slot")
    return SlotIndex(
        slots=slots,
        name_words=frozenset(_strs(meta["name_words"], "name_words")),
        names=tuple(_strs(meta["names"], "names", n)),
        compact=tuple(_strs(meta["compact"], "compact", n)),
        exact_names=_slot_numbers(meta["exact_names"], "exact_names", n),
        name_vec=vectorizers["name_vec"],
        desc_vec=vectorizers["desc_vec"],
        numeric=per_slot["numeric"],
        enum=per_slot["enum"],
        enum_numeric=per_slot["enum_numeric"],
        kind_date=per_slot["kind_date"],
        kind_bool=per_slot["kind_bool"],
        kind_id=per_slot["kind_id"],
        minimum=per_slot["minimum"],
        maximum=per_slot["maximum"],
        patterns=tuple(patterns),
        quantity=tuple(frozenset(_strs(q, "quantity entry")) for q in quantity),
        pv_text=pv_text,
        pv_slot=pv_slot,
        pv_starts=pv_starts,
        pv_owner=pv_owner,
        pv_exact=_slot_numbers(meta["pv_exact"], "pv_exact", n),
        pv_postings=postings,
        pv_words=pv_words,
    )


def _vectorizers(arrays: Any, meta: dict[str, Any], n: int) -> dict[str, Vectorizer]:
    from harmonize.match.columns.index import Vectorizer

    vocabularies = meta["vocabularies"]
    if type(vocabularies) is not dict:
        raise _BadError("vocabularies is not an object")
    vectorizers: dict[str, Vectorizer] = {}
    for name in _VECTORIZERS:
        words = _strs(vocabularies[name], f"vocabularies[{name!r}]")
        m = len(words)
        parts = {
            "idf": _array(arrays, f"{name}.idf", "float32", (m,)),
            "matrix": _array(arrays, f"{name}.matrix", "float32", (n, m)),
            "binary": _array(arrays, f"{name}.binary", "float32", (n, m)),
            "mass": _array(arrays, f"{name}.mass", "float32", (n,)),
        }
        vectorizers[name] = Vectorizer.from_arrays(words, parts)
    return vectorizers


def _postings(arrays: Any, meta: dict[str, Any], n_pv: int) -> dict[str, Any]:
    import numpy as np

    posting_words = _strs(meta["pv_postings.words"], "pv_postings.words")
    rows = _array(arrays, "pv_postings.rows", "int32", (None,))
    offsets = _array(arrays, "pv_postings.offsets", "int64", (len(posting_words) + 1,))
    _in_range(rows, max(n_pv, 1), "pv_postings.rows")
    if offsets[0] != 0 or offsets[-1] != len(rows) or np.any(np.diff(offsets) < 0):
        raise _BadError("pv_postings.offsets are not increasing offsets into pv_postings.rows")
    bounds = offsets.tolist()
    return {w: rows[bounds[k] : bounds[k + 1]] for k, w in enumerate(posting_words)}


def _patterns(meta: dict[str, Any], n: int) -> list[tuple[int, re.Pattern[str]]]:
    patterns = []
    for entry in meta["patterns"]:
        if type(entry) is not list or len(entry) != 2:
            raise _BadError("patterns entry is not [slot, pattern]")
        i, text = entry
        if type(i) is not int or not 0 <= i < n or type(text) is not str:
            raise _BadError("patterns entry is not [slot, pattern]")
        patterns.append((i, re.compile(text)))
    return patterns


def write_index(path: str | Path, index: SlotIndex) -> Path:
    """Store ``index`` at ``path`` (an ``.npz``), atomically."""
    import numpy as np

    from harmonize.io.atomic import atomic_write_bytes

    buffer = io.BytesIO()
    np.savez(buffer, **index_to_arrays(index))  # type: ignore[arg-type]
    return atomic_write_bytes(path, buffer.getvalue())


def read_index(path: str | Path, slots: tuple[SlotInfo, ...]) -> SlotIndex:
    """Read what :func:`write_index` stored (never unpickles; checks everything)."""
    import zipfile

    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise IndexStoreError(f"cannot read the stored slot index: {exc}", path=path) from None
    try:
        return _from_arrays(arrays, slots)
    except (_BadError, KeyError, TypeError, ValueError, UnicodeDecodeError, re.error) as exc:
        raise IndexStoreError(f"not a valid stored slot index: {exc}", path=path) from None
