"""What a run folder holds, found and read for the run report.

A run folder is what ``harmonize demo -o DIR`` writes (and what a steward assembles by
hand): ``columns.sssom.tsv`` and ``values.sssom.tsv`` (or other ``*.sssom.tsv`` mapping
sets), the partner table (the one CSV/TSV/XLSX that is not SSSOM), ``shacl-report.ttl``,
optionally ``privacy-report.json`` (``harmonize privacy scan -o``) and the review ledger
(``decisions.sqlite`` here or in ``mappings/``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from harmonize.errors import HarmonizeError

__all__ = ["PRIVACY_REPORT", "Problem", "RunFiles", "find_run_files", "read_privacy", "read_shacl"]

PRIVACY_REPORT = "privacy-report.json"
_TABLES = (".csv", ".tsv", ".txt", ".xlsx")
_DERIVED = (".sssom.tsv", ".reviewed.sssom.tsv")


@dataclass(frozen=True, slots=True)
class RunFiles:
    folder: Path
    mapping_sets: tuple[Path, ...]
    table: Path | None
    shacl: Path | None
    privacy: Path | None
    ledger: Path | None


def _table(folder: Path) -> Path | None:
    found = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in _TABLES and not p.name.endswith(_DERIVED)
    )
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise HarmonizeError(f"more than one partner table ({names}): name one", path=folder)
    return found[0] if found else None


def find_run_files(
    folder: str | Path,
    *,
    table: str | Path | None = None,
    ledger: str | Path | None = None,
    privacy: str | Path | None = None,
) -> RunFiles:
    """The files of a run folder (given paths win over what is found)."""
    root = Path(folder)
    if not root.is_dir():
        raise HarmonizeError("not a folder (give the folder a run wrote)", path=root)
    sets = sorted(p for p in root.glob("*.sssom.tsv") if not p.name.endswith(".reviewed.sssom.tsv"))
    sets = [p for p in sets if not p.name.startswith("decisions")]
    if not sets:
        raise HarmonizeError("no SSSOM mapping set (*.sssom.tsv) in the run folder", path=root)
    ledgers = [root / "decisions.sqlite", root / "mappings" / "decisions.sqlite"]
    shacl = root / "shacl-report.ttl"
    found_privacy = root / PRIVACY_REPORT
    return RunFiles(
        folder=root,
        mapping_sets=tuple(sets),
        table=Path(table) if table is not None else _table(root),
        shacl=shacl if shacl.is_file() else None,
        privacy=Path(privacy)
        if privacy is not None
        else (found_privacy if found_privacy.is_file() else None),
        ledger=Path(ledger)
        if ledger is not None
        else next((p for p in ledgers if p.is_file()), None),
    )


@dataclass(frozen=True, slots=True)
class Problem:
    """One SHACL result: slot, kind of problem, the partner's row, value, message."""

    slot: str
    kind: str
    row: int | None
    value: str | None
    message: str


def read_shacl(path: Path) -> tuple[bool, list[Problem]]:
    """(conforms, problems) of a SHACL report in Turtle (as ``harmonize validate`` writes)."""
    import rdflib
    from rdflib.namespace import SH

    from harmonize.validation.report import what_is_wrong

    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many kinds on a bad file
        raise HarmonizeError(f"not a SHACL report in Turtle: {exc}", path=path) from exc
    conforms = all(str(o).lower() == "true" for o in graph.objects(None, SH.conforms))
    row_of = rdflib.URIRef("https://w3id.org/harmonize/model/sourceRow")
    problems = []
    for result in graph.subjects(rdflib.RDF.type, SH.ValidationResult):
        path_iri = graph.value(result, SH.resultPath)
        component = str(graph.value(result, SH.sourceConstraintComponent) or "")
        row = graph.value(result, row_of)
        value = graph.value(result, SH.value)
        slot = str(path_iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1] if path_iri else "(record)"
        problems.append(
            Problem(
                slot=slot,
                kind=what_is_wrong(component, None),
                row=int(str(row)) if row is not None and str(row).isdecimal() else None,
                value=str(value) if value is not None else None,
                message=str(graph.value(result, SH.resultMessage) or ""),
            )
        )
    return conforms, problems


def read_privacy(path: Path) -> list[dict[str, object]]:
    """The findings of a privacy report (``harmonize privacy scan -o FILE.json``)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise HarmonizeError(f"not a privacy report (JSON): {exc}", path=path) from exc
    if not isinstance(data, list) or not all(isinstance(f, dict) for f in data):
        raise HarmonizeError("a privacy report is a list of column findings", path=path)
    return data
