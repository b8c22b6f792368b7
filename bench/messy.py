"""Messy values benchmark: submitted organ / cell-type texts -> curators' UBERON / CL terms.

One command (from the repository root; ``.[bench]`` installs text2term and gilda)::

    .venv/bin/python bench/messy.py                 # Bgee (../shared/bench-data/bgee)
    .venv/bin/python bench/messy.py --tools harmonize --misses   # harmonize's wrong answers
    .venv/bin/python bench/messy.py --data /tmp/sfaira-test.tsv  # held out: bench/sfaira_set.py

Data: ``bgee_sc_annotations.tsv`` (192 rows: what a data submitter wrote, the Bgee
curator's UBERON or CL term, the species of the sample). Every tool gets the same values
and the same ontology content (UBERON v2026-04-01 + CL v2026-03-26 from
cellxgene-ontology-guide, parsed once by harmonize), restricted per kind to the branch a
steward would give: organs -> UBERON:0001062 (anatomical entity), cell types ->
CL:0000000 (cell). Scored per row: a row is right when the tool's first answer is the
curator's term, or its ``replaced_by`` successor when the shipped file made it obsolete
(acc@5: among its first five). harmonize is also told the sample's species
(``ground --taxon``); the peers have no such input. Its confidence is the shipped model:
every column fitted on EFO label pairs, except the reading columns (``r_*``), fitted on
these Bgee rows and the sfaira dev half (``bench/fit_readings.py``). "Auto-accepted"
(confidence >= 0.95) is out of sample everywhere (a reading is capped below it); how
sure a reading makes an answer is in-sample here and on the dev half, held out on the
test half. The rules were written while looking at these rows' misses (classes of
input, no item literals), so top-1 is in-sample for harmonize. Peers:

* naive rapidfuzz: ``process.extract`` with ``fuzz.token_sort_ratio`` over every label and
  synonym of the branch (the issue's "naive rapidfuzz token_sort");
* gilda 1.6 ``Grounder`` over ``gilda.Term`` objects of the same names;
* text2term 4.6 ``TFIDFMapper`` over ``OntologyTerm`` objects (``min_score=0.3``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BGEE = ROOT.parent / "shared" / "bench-data" / "bgee" / "bgee_sc_annotations.tsv"
ROOTS = {"organ": "UBERON:0001062", "cell type": "CL:0000000"}
TOP_K = 5
TOOLS = ("harmonize", "rapidfuzz", "gilda", "text2term")
#: pass the rows' ``context`` (samples' tissue) to harmonize (``--no-context``: not)
USE_CONTEXT = os.environ.get("MESSY_NO_CONTEXT") != "1"
#: an older release's term list (``--terms-as-of``): every tool answers only its terms
TERMS_AS_OF = os.environ.get("MESSY_TERMS_AS_OF", "")


def ontology_paths() -> list[Path]:
    from harmonize.resources import cellxgene_data_dir

    d = cellxgene_data_dir()
    return [d / "UBERON-ontology-v2026-04-01.json.zst", d / "CL-ontology-v2026-03-26.json.zst"]


def load_merged() -> Any:
    from harmonize.ontology.cache import load_index
    from harmonize.ontology.index import merge_indexes

    index = merge_indexes([load_index(p) for p in ontology_paths()])
    if TERMS_AS_OF:
        from terms_as_of import restrict

        index, made = restrict(index, Path(TERMS_AS_OF))
        print(f"terms as of {TERMS_AS_OF}: {made} newer terms made obsolete", file=sys.stderr)
    return index


def item_key(row: dict[str, str]) -> str:
    """What a tool is asked for one row: kind, value, species, samples' tissue."""
    return "\t".join((row["kind"], row["submitted_text"], row["ncbi_taxon"], row["context"]))


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [
            {"context": "", **{k: (v or "").strip() for k, v in row.items()}}
            for row in csv.DictReader(handle, delimiter="\t")
        ]


def branch_terms(index: Any, root: str) -> list[Any]:
    """Live, labelled terms of one branch (what every tool may answer)."""
    allowed = index.branch([root])
    return [t for t in index.terms.values() if t.id in allowed and not t.obsolete and t.label]


# -- one worker per tool (own process) ----------------------------------------------------


def worker_harmonize(items: list[list[str]]) -> dict[str, Any]:
    """``items``: [kind, value, taxon, context]; returns per item the ranked ids and
    confidences. ``context`` (the samples' tissue, when the data set gives it) is passed
    as ``ground --context`` would pass it; the peers have no such input."""
    from harmonize.match.values.ground import load_curated
    from harmonize.match.values.matcher import ValueMatcher

    index = load_merged()
    out: dict[str, Any] = {}
    curated = load_curated()
    t0 = time.perf_counter()
    matchers: dict[tuple[str, str, str], ValueMatcher] = {}
    for kind, value, taxon, context in items:
        key = (kind, taxon, context)
        if key not in matchers:
            matchers[key] = ValueMatcher(  # as `harmonize ground` builds it (top-k filled)
                index,
                roots=[ROOTS[kind]],
                curated=curated,
                taxon=f"NCBITaxon:{taxon}",
                fill=True,
                context=[context] if context and USE_CONTEXT else [],
            )
        result = matchers[key].match(value, top_k=TOP_K)
        out["\t".join((kind, value, taxon, context))] = [
            [c.id, c.confidence, c.predicate, c.explain()] for c in result.candidates
        ]
    return {"preds": out, "secs": time.perf_counter() - t0}


def worker_rapidfuzz(items: list[list[str]]) -> dict[str, Any]:
    from rapidfuzz import fuzz, process

    index = load_merged()
    names: dict[str, tuple[list[str], list[str]]] = {}
    for kind, root in ROOTS.items():
        texts, ids = [], []
        for t in branch_terms(index, root):
            for text, _, _ in t.names():
                texts.append(text)
                ids.append(t.id)
        names[kind] = (texts, ids)
    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    for kind, value, taxon, context in items:
        texts, ids = names[kind]
        hits = process.extract(
            value, texts, scorer=fuzz.token_sort_ratio, processor=str.lower, limit=50
        )
        ranked: list[str] = []
        for _, _, pos in hits:
            if ids[pos] not in ranked:
                ranked.append(ids[pos])
        out["\t".join((kind, value, taxon, context))] = [
            [i, None, None, ""] for i in ranked[:TOP_K]
        ]
    return {"preds": out, "secs": time.perf_counter() - t0}


def worker_gilda(items: list[list[str]]) -> dict[str, Any]:
    from gilda import Grounder
    from gilda.process import normalize
    from gilda.term import Term

    index = load_merged()
    grounders = {}
    for kind, root in ROOTS.items():
        gterms = []
        for t in branch_terms(index, root):
            db, _, local = t.id.partition(":")
            for text, scope, _ in t.names():
                if normalize(text):
                    status = "name" if scope == "LABEL" else "synonym"
                    gterms.append(Term(normalize(text), text, db, local, t.label, status, db))
        grounders[kind] = Grounder(gterms)
    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    for kind, value, taxon, context in items:
        ranked: list[str] = []
        for m in grounders[kind].ground(value):
            cid = f"{m.term.db}:{m.term.id}"
            if cid not in ranked:
                ranked.append(cid)
        out["\t".join((kind, value, taxon, context))] = [
            [i, None, None, ""] for i in ranked[:TOP_K]
        ]
    return {"preds": out, "secs": time.perf_counter() - t0}


def worker_text2term(items: list[list[str]]) -> dict[str, Any]:
    import logging

    logging.disable(logging.WARNING)
    from text2term.term import OntologyTerm
    from text2term.tfidf_mapper import TFIDFMapper

    from harmonize.curie import expand

    index = load_merged()
    out: dict[str, Any] = {}
    secs = 0.0
    for kind, root in ROOTS.items():
        mine = [it for it in items if it[0] == kind]
        if not mine:
            continue  # (TFIDFMapper fails on no values)
        terms, back = {}, {}
        for t in branch_terms(index, root):
            iri = expand(t.id, strict=False) or t.id
            back[iri] = t.id
            terms[iri] = OntologyTerm(iri, [t.label], synonyms=[s.text for s in t.synonyms])
        mapper = TFIDFMapper(terms)
        values = sorted({v for _, v, _, _ in mine})
        t0 = time.perf_counter()
        df = mapper.map(
            values, [f"s{i}" for i in range(len(values))], max_mappings=TOP_K, min_score=0.3
        )
        secs += time.perf_counter() - t0
        ranked: dict[str, list[str]] = {}
        for src, iri in zip(df["Source Term"], df["Mapped Term IRI"], strict=True):
            ranked.setdefault(src, []).append(back.get(iri, iri))
        for _, value, taxon, context in mine:
            key = "\t".join((kind, value, taxon, context))
            out[key] = [[i, None, None, ""] for i in ranked.get(value, [])[:TOP_K]]
    return {"preds": out, "secs": secs}


WORKERS = {
    "harmonize": worker_harmonize,
    "rapidfuzz": worker_rapidfuzz,
    "gilda": worker_gilda,
    "text2term": worker_text2term,
}


def run_worker(tool: str, items: list[list[str]]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.json", Path(tmp) / "out.json"
        src.write_text(json.dumps(items))
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", tool, str(src), str(dst)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0 or not dst.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return {"error": " | ".join(tail) or f"exit {proc.returncode}"}
        return json.loads(dst.read_text())  # type: ignore[no-any-return]


# -- scoring ---------------------------------------------------------------------------


def gold_ids(index: Any, gold: str) -> set[str]:
    """The curator's id and, when the shipped ontology made it obsolete, its replacement
    (a curation older than the file: answering the replacement is answering the curator)."""
    term = index.terms.get(gold)
    if term is None or not term.obsolete:
        return {gold}
    return {gold, *term.replaced_by}


def score_rows(
    rows: Sequence[dict[str, str]], preds: dict[str, Any], kind: str | None, auto: float
) -> dict[str, float]:
    mine = [r for r in rows if kind is None or r["kind"] == kind]
    top1 = at5 = accepted = right_accepted = 0
    for r in mine:
        ranked = preds.get(item_key(r), [])
        ids = [c[0] for c in ranked]
        gold = r["gold"]
        ok = bool(ids) and ids[0] in gold
        top1 += ok
        at5 += bool(gold.intersection(ids[:TOP_K]))
        if ranked and ranked[0][1] is not None and ranked[0][1] >= auto:
            accepted += 1
            right_accepted += ok
    n = len(mine)
    return {
        "n": n,
        "top1": top1 / n,
        "at5": at5 / n,
        "auto": accepted / n,
        "precision": right_accepted / accepted if accepted else float("nan"),
        "accepted": accepted,
    }


def print_table(rows: Sequence[dict[str, str]], runs: dict[str, dict[str, Any]]) -> None:
    from harmonize.confidence import AUTO_ACCEPT

    print("| tool | kind | n | top-1 | acc@5 | auto-accepted | precision of auto-accepted |")
    print("|---|---|---|---|---|---|---|")
    for tool, res in runs.items():
        if "error" in res:
            print(f"| {tool} | failed: {res['error']} | | | | | |")
            continue
        for kind in ("organ", "cell type", None):
            if kind is not None and not any(r["kind"] == kind for r in rows):
                continue  # (a set of one kind: its "all" row says it)
            s = score_rows(rows, res["preds"], kind, AUTO_ACCEPT)
            auto = "—" if tool != "harmonize" else f"{s['auto']:.3f} ({s['accepted']:.0f})"
            prec = "—" if tool != "harmonize" else f"{s['precision']:.3f}"
            print(
                f"| {tool} | {kind or 'all'} | {s['n']:.0f} | {s['top1']:.3f} | {s['at5']:.3f}"
                f" | {auto} | {prec} |"
            )


def relation(got: str, gold: set[str], index: Any) -> str:
    """How an answer stands to the curator's term in the ontology: the same, one of its
    subclasses (more specific than the curator), one of its superclasses (coarser), a
    sibling (a direct parent in common), or unrelated."""
    if got in gold:
        return "same"
    if gold & index.ancestors(got):
        return "more specific"
    if any(got in index.ancestors(g) for g in gold if g in index.terms):
        return "coarser"
    parents = set(index.parents(got)) if got in index.terms else set()
    if any(parents & set(index.parents(g)) for g in gold if g in index.terms):
        return "sibling"
    return "unrelated"


RELATIONS = ("same", "more specific", "coarser", "sibling", "unrelated", "no answer")


def print_relations(
    rows: Sequence[dict[str, str]], preds: dict[str, Any], auto: float, index: Any
) -> None:
    """harmonize's first answers against the curator's term (:func:`relation`): every
    first answer, and the auto-accepted ones. A wrong answer on the curator's own path
    (more specific or coarser) is a disagreement of granularity, not of kind."""
    every = dict.fromkeys(RELATIONS, 0)
    accepted = dict.fromkeys(RELATIONS, 0)
    by_reading: dict[str, dict[str, int]] = {}
    for r in rows:
        ranked = preds.get(item_key(r), [])
        if not ranked:
            every["no answer"] += 1
            continue
        rel = relation(ranked[0][0], r["gold"], index)  # type: ignore[arg-type]
        every[rel] += 1
        by_reading.setdefault(reading_of(ranked[0][3]), dict.fromkeys(RELATIONS, 0))[rel] += 1
        if ranked[0][1] is not None and ranked[0][1] >= auto:
            accepted[rel] += 1
    n_every, n_accepted = sum(every.values()) or 1, sum(accepted.values()) or 1
    print("| first answer vs curator's term | every first answer | share | auto-accepted | share |")
    print("|---|---|---|---|---|")
    for name in RELATIONS:
        print(
            f"| {name} | {every[name]} | {every[name] / n_every:.3f} | {accepted[name]}"
            f" | {accepted[name] / n_accepted:.3f} |"
        )
    print()
    print("| first answer read as | " + " | ".join(RELATIONS[:-1]) + " |")
    print("|---|" + "---|" * (len(RELATIONS) - 1))
    for kind, counts in sorted(by_reading.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"| {kind} | " + " | ".join(str(counts[name]) for name in RELATIONS[:-1]) + " |")


#: how harmonize's comment says a value was read (first match wins), by reading kind
READING_SAID = (
    ("contradicted", ("the term's name",)),
    ("other_taxon", ("for another taxon",)),
    ("initialism", ("initials of the term's label",)),
    ("truncated", ("read as a shortened word",)),
    ("hedge", ("read as negated", "read as uncertain", "read as past")),
    ("dropped", ("words dropped", "a broader term")),
    ("context", ("in the sample's tissue",)),
    ("qualifier", ("set aside",)),
    ("taxon", ("species of the data",)),
    ("marker", ("marker notation",)),
    ("shorthand", ("shorthand",)),
    ("specialised", ("specialisation read", "names the kind", "names the population")),
    ("cell", ("read as the cell", "read as the tissue")),
)


def reading_of(comment: str) -> str:
    return next((k for k, cues in READING_SAID if any(c in comment for c in cues)), "none")


def print_readings(rows: Sequence[dict[str, str]], preds: dict[str, Any], auto: float) -> None:
    """harmonize's first answers by how the value was read: rows, precision, auto-accepted,
    mean and highest confidence (an honest reading's mean is near its precision)."""
    stats: dict[str, list[float]] = {}
    top: dict[str, float] = {}
    for r in rows:
        ranked = preds.get(item_key(r), [])
        if not ranked:
            continue
        kind = reading_of(ranked[0][3])
        s = stats.setdefault(kind, [0, 0, 0, 0.0])
        s[0] += 1
        s[1] += ranked[0][0] in r["gold"]
        s[2] += ranked[0][1] >= auto
        s[3] += ranked[0][1]
        top[kind] = max(top.get(kind, 0.0), ranked[0][1])
    print(
        "| first answer read as | rows | top-1 precision | mean confidence | auto-accepted"
        " | highest confidence |"
    )
    print("|---|---|---|---|---|---|")
    for kind, (n, right, accepted, total) in sorted(stats.items(), key=lambda kv: -kv[1][0]):
        print(
            f"| {kind} | {n:.0f} | {right / n:.3f} | {total / n:.3f} | {accepted:.0f}"
            f" | {top[kind]:.3f} |"
        )


#: confidence bins of the reliability table (lower bounds; the last bin is auto-accepted)
RELIABILITY_BINS = (0.0, 0.3, 0.5, 0.7, 0.9, 0.95)


def print_reliability(rows: Sequence[dict[str, str]], preds: dict[str, Any]) -> None:
    """Is a first answer's confidence a frequency? Per bin: rows, mean confidence, share
    right (a calibrated tool has the two close)."""
    bins: list[list[float]] = [[0, 0.0, 0] for _ in RELIABILITY_BINS]
    for r in rows:
        ranked = preds.get(item_key(r), [])
        if not ranked or ranked[0][1] is None:
            continue
        conf = ranked[0][1]
        i = max(j for j, low in enumerate(RELIABILITY_BINS) if conf >= low)
        bins[i][0] += 1
        bins[i][1] += conf
        bins[i][2] += ranked[0][0] in r["gold"]
    print("| first answer's confidence | rows | mean confidence | share right |")
    print("|---|---|---|---|")
    edges = (*RELIABILITY_BINS[1:], 1.0)
    for low, high, (n, total, right) in zip(RELIABILITY_BINS, edges, bins, strict=True):
        if n:
            print(f"| {low:.2f}-{high:.2f} | {n:.0f} | {total / n:.3f} | {right / n:.3f} |")


def print_misses(rows: Sequence[dict[str, str]], preds: dict[str, Any], index: Any) -> None:
    for r in rows:
        ranked = preds.get(item_key(r), [])
        ids = [c[0] for c in ranked]
        if ids and ids[0] in r["gold"]:
            continue
        got = ranked[0] if ranked else [None, None, None, ""]
        at = ids.index(r["curated_id"]) if r["curated_id"] in ids else -1
        print(
            f"{r['kind'][:5]:5} {r['ncbi_taxon']:>6} {r['submitted_text'][:44]!r:46}"
            f" gold={r['curated_label'][:28]!r:30} got={index.label(got[0]) if got[0] else None!r}"
            f" {got[1]} {got[2]} at={at} | {got[3][:110]}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worker", nargs=3, metavar=("TOOL", "IN", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--data", type=Path, default=BGEE)
    parser.add_argument("--misses", action="store_true", help="print harmonize's wrong rows")
    parser.add_argument(
        "--no-context", action="store_true", help="do not tell harmonize the samples' tissue"
    )
    parser.add_argument(
        "--terms-as-of",
        type=Path,
        help="an older release's term list (bench/terms_as_of.py): only its terms count",
    )
    args = parser.parse_args()
    if args.terms_as_of:
        os.environ["MESSY_TERMS_AS_OF"] = str(args.terms_as_of.resolve())
        global TERMS_AS_OF
        TERMS_AS_OF = os.environ["MESSY_TERMS_AS_OF"]
    if args.no_context:
        os.environ["MESSY_NO_CONTEXT"] = "1"  # read by the worker processes
    if args.worker:
        tool, src, dst = args.worker
        Path(dst).write_text(json.dumps(WORKERS[tool](json.loads(Path(src).read_text()))))
        return 0
    rows = read_rows(args.data)
    index = load_merged()  # warms the index caches for every worker
    for r in rows:
        r["gold"] = gold_ids(index, r["curated_id"])  # type: ignore[assignment]
    replaced = sum(len(r["gold"]) > 1 for r in rows)
    lost = sum(
        len(r["gold"]) == 1
        and (term := index.terms.get(r["curated_id"])) is not None
        and term.obsolete
        for r in rows
    )
    items = sorted({tuple(item_key(r).split("\t")) for r in rows})
    print(f"{args.data.name}: {len(rows)} rows, {len(items)} distinct (kind, text, species)")
    print("ontologies:", "; ".join(f"{m.name} {m.version}" for m in index.sources))
    print(f"curated ids obsolete in these files (their replacement counts too): {replaced} rows")
    print(
        f"curated ids obsolete in these files with no replacement (no tool can answer): {lost} rows"
    )
    runs = {tool: run_worker(tool, [list(i) for i in items]) for tool in args.tools.split(",")}
    print()
    print_table(rows, runs)
    if "preds" in runs.get("harmonize", {}):
        from harmonize.confidence import AUTO_ACCEPT

        print()
        print_readings(rows, runs["harmonize"]["preds"], AUTO_ACCEPT)
        print()
        print_relations(rows, runs["harmonize"]["preds"], AUTO_ACCEPT, index)
        print()
        print_reliability(rows, runs["harmonize"]["preds"])
    if args.misses and "preds" in runs.get("harmonize", {}):
        print()
        print_misses(rows, runs["harmonize"]["preds"], index)
    return 0


if __name__ == "__main__":
    sys.exit(main())
