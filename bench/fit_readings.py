"""Fit the reading columns (``r_*``) of the shipped calibration model on submitted values.

One command (from the repository root; run after ``bench/grounding.py --fit``, which
fits every other column on UKBB-EFO + OLS-EFO)::

    .venv/bin/python bench/fit_readings.py /tmp/sfaira-dev.tsv   # + Bgee by default

The label pairs of the EFO sets never meet a reading (a qualifier set aside, a shorthand
expanded, words dropped ...), so those columns are fitted here on every top-5 candidate
of submitted organ / cell-type values with curators' terms: Bgee
(``../shared/bench-data/bgee``) and the files given (the *dev* half of the sfaira set,
``bench/sfaira_set.py --half dev``; never the test half, which scores the fit). Every
other coefficient is held fixed (:mod:`harmonize.match.values.reading_fit`): a candidate
no reading touched keeps its confidence. Prints how sure each reading makes the first
answer with the reading columns at 0 and fitted, on each file, then rewrites
``src/harmonize/match/values/calibration_model.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import grounding
import messy


def labelled_candidates(path: Path, index: Any) -> list[tuple[list[Any], list[bool]]]:
    """Per row of ``path``: the features of its top-5 candidates and which are right, as
    ``bench/messy.py`` asks harmonize (species, samples' tissue)."""
    from harmonize.match.values.ground import load_curated
    from harmonize.match.values.matcher import ValueMatcher

    curated = load_curated()
    matchers: dict[tuple[str, str, str], ValueMatcher] = {}
    out = []
    for row in messy.read_rows(path):
        key = (row["kind"], row["ncbi_taxon"], row["context"])
        if key not in matchers:
            matchers[key] = ValueMatcher(
                index,
                roots=[messy.ROOTS[row["kind"]]],
                curated=curated,
                taxon=f"NCBITaxon:{row['ncbi_taxon']}",
                fill=True,
                context=[row["context"]] if row["context"] else [],
            )
        gold = messy.gold_ids(index, row["curated_id"])
        if not any(g in index.terms for g in gold):
            continue  # a term the files do not hold: nothing to learn from
        matcher = matchers[key]
        matcher.feature_log = {}
        value = row["submitted_text"]
        ids = [c.id for c in matcher.match(value, top_k=messy.TOP_K).candidates]
        feats = [matcher.feature_log[(value, i)] for i in ids]
        out.append((feats, [i in gold for i in ids]))
    return out


def reading_table(
    name: str, rows: list[tuple[list[Any], list[bool]]], cals: dict[str, Any]
) -> None:
    """First answers per reading: how often right, and the mean confidence of each model."""
    kinds: dict[str, list[float]] = {}
    brier = [0.0] * len(cals)
    for feats, right in rows:
        if not feats:
            continue
        top = feats[0]
        slot = kinds.setdefault(top.reading or "none", [0, 0] + [0.0] * len(cals))
        slot[0] += 1
        slot[1] += right[0]
        for j, cal in enumerate(cals.values()):
            conf = min(float(cal(top)), top.cap)
            slot[2 + j] += conf
            brier[j] += (conf - right[0]) ** 2
    print(f"\n{name}: first answer read as | rows | share right | " + " | ".join(cals) + " |")
    print("|---|---|---|" + "---|" * len(cals))
    for kind, slot in sorted(kinds.items(), key=lambda kv: -kv[1][0]):
        means = " | ".join(f"{v / slot[0]:.2f}" for v in slot[2:])
        print(f"| {kind} | {slot[0]:.0f} | {slot[1] / slot[0]:.2f} | {means} |")
    n = sum(slot[0] for slot in kinds.values())
    answered = [slot for kind, slot in kinds.items() if kind != "none"]
    gaps = []  # |share right - mean confidence| of the read rows, weighted by rows
    for j in range(len(cals)):
        gap = sum(abs(s[1] - s[2 + j]) for s in answered) / max(1, sum(s[0] for s in answered))
        gaps.append(f"{gap:.3f}")
    print(
        f"| read rows: gap to share right | {sum(s[0] for s in answered):.0f} | | "
        + " | ".join(gaps)
        + " |"
    )
    print(
        f"| all first answers: Brier | {n:.0f} | | "
        + " | ".join(f"{b / n:.3f}" for b in brier)
        + " |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="*", type=Path, help="more fitting files (sfaira dev half)")
    parser.add_argument("--score", nargs="*", type=Path, default=[], help="held-out files")
    parser.add_argument("--dry-run", action="store_true", help="print, do not rewrite the model")
    args = parser.parse_args()
    from harmonize.match.values.calibration import default_calibrator
    from harmonize.match.values.reading_fit import fit_reading_columns

    index = messy.load_merged()
    fitting = {p.name: labelled_candidates(p, index) for p in [messy.BGEE, *args.data]}
    feats = [f for rows in fitting.values() for fs, _ in rows for f in fs]
    labels = [r for rows in fitting.values() for _, rs in rows for r in rs]
    base = default_calibrator()
    names = " + ".join(fitting)
    fitted = fit_reading_columns(
        base,
        feats,
        labels,
        fitted_on=f"{base.fitted_on.split(';')[0]}; reading columns: {names}"
        " (bench/fit_readings.py)",
    )
    from harmonize.match.values.calibration import Calibrator
    from harmonize.match.values.reading_fit import READING_COLUMNS

    unfitted = Calibrator(
        coef=tuple(0.0 if i in READING_COLUMNS else c for i, c in enumerate(base.coef)),
        iso_x=base.iso_x,
        iso_y=base.iso_y,
    )
    cals = {"readings at weight 0": unfitted, "shipped before": base, "fitted": fitted}
    for name, rows in fitting.items():
        reading_table(f"{name} (fitting, in-sample)", rows, cals)
    for path in args.score:
        reading_table(f"{path.name} (held out)", labelled_candidates(path, index), cals)
    if not args.dry_run:
        grounding.write_model(fitted.to_dict())
        print(f"\nwrote the shipped calibration model ({len(feats)} labelled candidates)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
