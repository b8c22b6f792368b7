"""How often curators of different studies code the same submitted text with the same term.

The messy-values benchmark scores a tool against one curator's term per text. When the
same text (``NK``, ``Basal``, ``Fibroblasts``) was coded in several studies, the studies'
curators can be compared with each other: that agreement is what any one answer per text
can reach against "the" curator, on texts that more than one study used. This script reads
the table ``bench/sfaira_set.py`` writes (both halves, or the whole set) and prints:

- texts coded in two studies or more, and the share coded with one term in every study;
- pairs of studies coding the same text, and the share of pairs that agree;
- for the pairs that disagree, how one term stands to the other in the ontology (one
  more specific than the other, siblings, unrelated): :func:`messy.relation`;
- with ``--harmonize``: on the same texts, how often harmonize's first answer (asked as
  ``bench/messy.py`` asks it, with the study's species and tissue) is the term of the
  study's curator: harmonize taken as one more curator.

Texts are compared after harmonize's own normalisation (case, punctuation, plurals), so
``B cells`` and ``B cell`` are one text; an id the shipped file made obsolete counts as
its replacement (as the benchmark scores it). Nothing here is fitted: it describes the data.
One command (from the repository root, after ``bench/sfaira_set.py``)::

    .venv/bin/python bench/curator_agreement.py /tmp/sfaira-dev.tsv /tmp/sfaira-test.tsv \\
        --harmonize
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import messy

RELATIONS = ("more specific", "coarser", "sibling", "unrelated")


def study_of(source: str) -> str:
    """The study a sfaira row came from: its loader's folder (one per publication)."""
    parts = source.strip().split("/")
    return parts[-2] if len(parts) >= 2 else source.strip()


def codes_by_text(rows: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, set[str]]]:
    """(kind, normalised text) -> study -> the terms its curators gave that text."""
    from harmonize.match.values.interpret import normal_form

    coded: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(dict)
    for row in rows:
        text = normal_form(row["submitted_text"]) or row["submitted_text"].casefold()
        for source in row.get("source", "").split(" | "):
            study = study_of(source)
            coded[(row["kind"], text)].setdefault(study, set()).add(row["curated_id"])
    return coded


@dataclass
class Agreement:
    texts: int = 0  # distinct texts
    shared: int = 0  # ... coded in two studies or more
    same_everywhere: int = 0  # ... with one term in every study
    pairs: int = 0  # pairs of studies coding one text
    agreeing: int = 0  # ... with the same term
    kinds: Counter[str] = field(default_factory=Counter)  # the others, by relation


def agreement(coded: dict[tuple[str, str], dict[str, set[str]]], index: object) -> Agreement:
    found = Agreement(texts=len(coded))
    for studies in coded.values():
        if len(studies) < 2:
            continue
        found.shared += 1
        found.same_everywhere += len(set().union(*studies.values())) == 1
        for a, b in combinations(sorted(studies), 2):
            found.pairs += 1
            if _live(studies[a], index) & _live(studies[b], index):
                found.agreeing += 1
            else:
                got = sorted(studies[a])[0]
                found.kinds[messy.relation(got, set(studies[b]), index)] += 1
    return found


def harmonize_agreement(rows: list[dict[str, str]], index: object) -> dict[str, tuple[int, int]]:
    """By table: (studies' terms of texts coded in two studies or more, how many of them
    are harmonize's first answer): harmonize taken as one more curator."""
    from harmonize.match.values.interpret import normal_form

    coded = codes_by_text(rows)

    def text(r: dict[str, str]) -> str:
        return normal_form(r["submitted_text"]) or r["submitted_text"].casefold()

    shared = [r for r in rows if len(coded[(r["kind"], text(r))]) >= 2]
    items = sorted({tuple(messy.item_key(r).split("\t")) for r in shared})
    preds = messy.run_worker("harmonize", [list(i) for i in items])
    if "error" in preds:
        raise SystemExit(f"harmonize: {preds['error']}")
    out: dict[str, tuple[int, int]] = {}
    for r in shared:
        ranked = preds["preds"].get(messy.item_key(r)) or []
        right = bool(ranked) and ranked[0][0] in _live({r["curated_id"]}, index)
        studies = len({study_of(s) for s in r.get("source", "").split(" | ")})
        n, agree = out.get(r["table"], (0, 0))
        out[r["table"]] = (n + studies, agree + studies * right)
    return out


def _live(ids: set[str], index: object) -> set[str]:
    """The ids and, for one the shipped file made obsolete, its replacement."""
    return {i for term in ids for i in messy.gold_ids(index, term)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tables", nargs="+", type=Path, help="tables of bench/sfaira_set.py")
    parser.add_argument(
        "--harmonize", action="store_true", help="also harmonize's first answers, as a curator"
    )
    args = parser.parse_args(argv)
    rows = [{**row, "table": p.name} for p in args.tables for row in messy.read_rows(p)]
    if not rows or "source" not in rows[0]:
        print("no rows with a 'source' column (a table of bench/sfaira_set.py)")
        return 2
    index = messy.load_merged()
    for kind in ("cell type", "organ", None):
        mine = [r for r in rows if kind is None or r["kind"] == kind]
        if not mine:
            continue
        found = agreement(codes_by_text(mine), index)
        shared, pairs = found.shared, found.pairs
        if not shared:
            print(f"## {kind or 'all'}: {len(mine)} rows: no text coded in two studies\n")
            continue
        print(f"## {kind or 'all'}: {len(mine)} rows, {found.texts} distinct texts")
        print("| measure | count | share |")
        print("|---|---|---|")
        same, agree = found.same_everywhere, found.agreeing
        print(f"| texts coded in >= 2 studies | {shared} | - |")
        print(f"| ... one term in every study | {same} | {same / shared:.3f} |")
        print(f"| pairs of studies coding one text | {pairs} | - |")
        print(f"| ... the same term | {agree} | {agree / pairs:.3f} |")
        for name in RELATIONS:
            n = found.kinds.get(name, 0)
            print(f"| ... terms differ: {name} | {n} | {n / pairs:.3f} |")
        if args.harmonize:
            for table, (n, agree) in harmonize_agreement(mine, index).items():
                print(f"| {table}: a study's term for one of those texts | {n} | - |")
                print(f"| ... harmonize's first answer is that term | {agree} | {agree / n:.3f} |")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
