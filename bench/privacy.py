"""Privacy detection benchmark: recall and precision of `harmonize privacy scan` per category.

One command (from the repository root)::

    .venv/bin/python bench/privacy.py                  # 5 seeds x 5 locales, 200 rows each
    .venv/bin/python bench/privacy.py --seeds 1 2 3 --rows 500

Positives are tables generated with Faker in da_DK, sv_SE, en_GB, en_US and de_DE: person
names, national identity numbers with REAL check digits for each locale (Danish CPR with
the century digit, Swedish personnummer with Luhn, NHS numbers with modulus 11, US SSNs,
German Steuer-IdNr with ISO 7064), e-mail, phone, IBAN, street addresses, dates of birth,
free-text notes; quasi-identifiers (age, postcode, visit date, study codes, UUIDs) and
synthetic non-identifying numeric columns. Each seed draws, for each column, whether the
header names its content (always for age and postcode, bare numbers that only a header can
explain) (in the locale's language) or is neutral (``field_07``), so recall
is also reported on values alone. Negatives: every column of every GDC study table in
../shared/bench-data/gdc/studies (real non-identifying metadata): none may be flagged direct.

Person names are looked up in the name lists Faker ships, which also generated the test
names; the ``holdout`` rows therefore re-scan each table with the generating locale's lists
removed, an honest figure for names the lists have never seen.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GDC = ROOT.parent / "shared" / "bench-data" / "gdc" / "studies"
LOCALES = ("da_DK", "sv_SE", "en_GB", "en_US", "de_DE")
TODAY = dt.date(2026, 1, 1)

# header words per locale: kind -> header naming the content
HEADERS: dict[str, dict[str, str]] = {
    "da_DK": {
        "national_id": "cpr_nr",
        "full_name": "navn",
        "first_name": "fornavn",
        "last_name": "efternavn",
        "email": "email",
        "phone": "telefon",
        "date_of_birth": "foedselsdato",
        "address": "adresse",
        "iban": "iban",
        "free_text": "notat",
        "age": "alder",
        "postcode": "postnr",
    },
    "sv_SE": {
        "national_id": "personnummer",
        "full_name": "namn",
        "first_name": "förnamn",
        "last_name": "efternamn",
        "email": "e-post",
        "phone": "telefon",
        "date_of_birth": "födelsedatum",
        "address": "adress",
        "iban": "iban",
        "free_text": "anteckning",
        "age": "ålder",
        "postcode": "postnummer",
    },
    "en_GB": {
        "national_id": "nhs_number",
        "full_name": "patient_name",
        "first_name": "first_name",
        "last_name": "surname",
        "email": "email",
        "phone": "telephone",
        "date_of_birth": "date_of_birth",
        "address": "address",
        "iban": "iban",
        "free_text": "clinical_notes",
        "age": "age",
        "postcode": "postcode",
    },
    "en_US": {
        "national_id": "ssn",
        "full_name": "full_name",
        "first_name": "first_name",
        "last_name": "last_name",
        "email": "email",
        "phone": "phone",
        "date_of_birth": "dob",
        "address": "street_address",
        "iban": "bank_account",
        "free_text": "notes",
        "age": "age",
        "postcode": "zip",
    },
    "de_DE": {
        "national_id": "steuer_id",
        "full_name": "name",
        "first_name": "vorname",
        "last_name": "nachname",
        "email": "email",
        "phone": "telefon",
        "date_of_birth": "geburtsdatum",
        "address": "adresse",
        "iban": "iban",
        "free_text": "bemerkung",
        "age": "alter",
        "postcode": "plz",
    },
}
# truth: column kind -> (category, kind reported by the scan)
TRUTH: dict[str, tuple[str, str]] = {
    "national_id": ("direct", "national_id"),
    "full_name": ("direct", "person_name"),
    "first_name": ("direct", "person_name"),
    "last_name": ("direct", "person_name"),
    "email": ("direct", "email"),
    "phone": ("direct", "phone"),
    "date_of_birth": ("direct", "date_of_birth"),
    "address": ("direct", "address"),
    "iban": ("direct", "iban"),
    "free_text": ("direct", "free_text"),
    "age": ("quasi", "age"),
    "postcode": ("quasi", "postcode"),
    "visit_date": ("quasi", "date"),
    "sample_id": ("quasi", "study_id"),
    "uuid": ("quasi", "study_id"),
    "physician": ("direct", "person_name"),
    "collection_date": ("quasi", "date"),
    "genomic_position": ("none", "none"),
    "accession": ("none", "none"),
    "icd10": ("none", "none"),
    "gene": ("none", "none"),
    "stage": ("none", "none"),
    "read_count": ("none", "none"),
    "lab_value": ("none", "none"),
    "batch": ("none", "none"),
}
# an age or a postcode is a bare number: only a header can say what it is
HINT_ONLY = {"age", "postcode"}
NEUTRAL_ONLY = {
    "visit_date",
    "sample_id",
    "uuid",
    "genomic_position",
    "read_count",
    "lab_value",
    "batch",
    "collection_date",
    "accession",
    "icd10",
    "gene",
    "stage",
}
GENES = (
    "TP53",
    "KRAS",
    "PIK3CA",
    "EGFR",
    "BRAF",
    "PTEN",
    "APC",
    "ARID1A",
    "KMT2C",
    "CDKN2A",
    "SMAD4",
    "NF1",
    "RB1",
    "ATM",
    "BRCA1",
    "BRCA2",
    "MYC",
    "ERBB2",
    "GATA3",
    "CTNNB1",
)
STAGES = (
    "Stage I",
    "Stage IA",
    "Stage IB",
    "Stage II",
    "Stage IIA",
    "Stage IIB",
    "Stage III",
    "Stage IIIA",
    "Stage IIIB",
    "Stage IV",
    "Not Reported",
)
MISSING = ("", "", "", "NA", "n/a", "unknown", "-")


# ---- national identity numbers with real check digits -------------------------------------


def _luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def _birth(rng: random.Random, start: int = 1930, end: int = 2005) -> dt.date:
    return dt.date(start, 1, 1) + dt.timedelta(
        days=rng.randrange((dt.date(end, 12, 31) - dt.date(start, 1, 1)).days)
    )


def dk_cpr(rng: random.Random) -> str:
    born = _birth(rng)
    century = rng.randint(0, 3) if born.year < 2000 else rng.choice((4, 9))
    number = f"{born:%d%m%y}{century}{rng.randint(0, 999):03d}"
    return f"{number[:6]}-{number[6:]}" if rng.random() < 0.7 else number


def se_personnummer(rng: random.Random) -> str:
    born = _birth(rng)
    body = f"{born:%y%m%d}{rng.randint(0, 999):03d}"
    number = body + _luhn_digit(body)
    if rng.random() < 0.3:
        return f"{born.year // 100}{number[:6]}-{number[6:]}"
    return f"{number[:6]}-{number[6:]}"


def gb_nhs(rng: random.Random) -> str:
    while True:
        body = f"{rng.randint(400000000, 799999999)}"
        check = (11 - sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11) % 11
        if check != 10:
            number = body + str(check)
            return f"{number[:3]} {number[3:6]} {number[6:]}" if rng.random() < 0.6 else number


def us_ssn(rng: random.Random) -> str:
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def de_idnr(rng: random.Random) -> str:
    from stdnum.iso7064 import mod_11_10

    while True:
        digits = rng.sample("0123456789", 9)
        digits.append(rng.choice(digits))
        rng.shuffle(digits)
        if digits[0] == "0":
            continue
        body = "".join(digits)
        number = body + mod_11_10.calc_check_digit(body)
        return (
            f"{number[:2]} {number[2:5]} {number[5:8]} {number[8:]}"
            if rng.random() < 0.5
            else number
        )


NATIONAL_IDS: dict[str, Callable[[random.Random], str]] = {
    "da_DK": dk_cpr,
    "sv_SE": se_personnummer,
    "en_GB": gb_nhs,
    "en_US": us_ssn,
    "de_DE": de_idnr,
}
IBAN_COUNTRY = {"da_DK": "DK", "sv_SE": "SE", "en_GB": "GB", "en_US": "DE", "de_DE": "DE"}


def _check_ids() -> None:
    """The generators produce numbers the reference validators accept."""
    from stdnum.de import idnr
    from stdnum.dk import cpr
    from stdnum.gb import nhs
    from stdnum.se import personnummer
    from stdnum.us import ssn

    rng = random.Random(0)
    for gen, check in (
        (dk_cpr, cpr),
        (se_personnummer, personnummer),
        (gb_nhs, nhs),
        (us_ssn, ssn),
        (de_idnr, idnr),
    ):
        for _ in range(200):
            value = gen(rng)
            assert check.is_valid(value), (gen.__name__, value)


# ---- tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    truth: str  # key of TRUTH
    hinted: bool
    values: list[str]


def _note(fake, rng: random.Random) -> str:  # type: ignore[no-untyped-def]
    text: str = fake.paragraph(nb_sentences=rng.randint(2, 4))
    roll = rng.random()
    if roll < 0.3:
        text += f" Seen by {fake.name()}."
    elif roll < 0.4:
        text += f" Call back on {fake.phone_number()}."
    return text


def make_table(locale: str, seed: int, rows: int) -> list[Column]:
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(seed)
    rng = random.Random(f"{locale}-{seed}")
    doctors = [f"Dr. {fake.first_name()} {fake.last_name()}" for _ in range(rng.randint(3, 8))]
    icd = [f"{rng.choice('CDEIJK')}{rng.randint(0, 99):02d}.{rng.randint(0, 9)}" for _ in range(30)]
    gens: dict[str, Callable[[], str]] = {
        "national_id": lambda: NATIONAL_IDS[locale](rng),
        "full_name": lambda: (
            fake.name() if rng.random() < 0.85 else f"{fake.last_name()}, {fake.first_name()}"
        ),
        "first_name": fake.first_name,
        "last_name": fake.last_name,
        "email": fake.email,
        "phone": fake.phone_number,
        "date_of_birth": lambda: _date_text(
            fake.date_of_birth(minimum_age=18, maximum_age=95), locale
        ),
        "address": lambda: fake.street_address().replace("\n", ", "),
        "iban": lambda: fake.iban() if locale != "en_US" else _de_iban(fake),
        "free_text": lambda: _note(fake, rng),
        "age": lambda: str(rng.randint(18, 95)),
        "postcode": fake.postcode,
        "visit_date": lambda: _date_text(
            fake.date_between(dt.date(2019, 1, 1), dt.date(2024, 12, 31)), locale
        ),
        "sample_id": lambda: f"{rng.choice(['C3L', 'C3N', 'S'])}-{rng.randint(0, 99999):05d}",
        "uuid": lambda: str(fake.uuid4()),
        "physician": lambda: rng.choice(doctors),
        "collection_date": lambda: _date_text(
            fake.date_between(dt.date(2021, 1, 1), dt.date(2022, 6, 30)), locale
        ),
        "accession": lambda: f"{rng.randint(0, 9_999_999_999):010d}",
        "icd10": lambda: rng.choice(icd),
        "gene": lambda: rng.choice(GENES),
        "stage": lambda: rng.choice(STAGES),
        "genomic_position": lambda: str(rng.randint(1_000_000, 248_956_422)),
        "read_count": lambda: str(rng.randint(1_000_000, 9_999_999_999)),
        "lab_value": lambda: f"{rng.lognormvariate(1, 1):.3f}",
        "batch": lambda: f"batch_{rng.randint(1, 12)}",
    }
    columns: list[Column] = []
    order = list(TRUTH)
    rng.shuffle(order)
    for index, truth in enumerate(order):
        hinted = truth in HINT_ONLY or (truth not in NEUTRAL_ONLY and rng.random() < 0.5)
        header = (
            HEADERS[locale].get(truth, "treating_physician") if hinted else f"field_{index:02d}"
        )
        if truth in NEUTRAL_ONLY:
            header = {
                "visit_date": "visit_date",
                "sample_id": "sample_id",
                "uuid": "aliquot_uuid",
                "collection_date": "collection_date",
            }.get(truth, header)
        values = [gens[truth]() for _ in range(rows)]
        # messiness of real exports: some columns upper- or lower-cased, missing-value markers,
        # a few typing errors that break check digits
        if (
            truth in {"full_name", "first_name", "last_name", "physician", "address"}
            and rng.random() < 0.3
        ):
            upper = rng.random() < 0.67  # a whole column upper-cased (2/3) or lower-cased (1/3)
            values = [v.upper() if upper else v.lower() for v in values]
        for i in rng.sample(range(rows), rows // 10):  # 10% missing cells
            values[i] = rng.choice(MISSING)
        if truth in {"national_id", "iban", "email", "phone"}:
            for i in rng.sample(range(rows), rows // 50):  # 2% typos
                values[i] = _typo(values[i], rng)
        columns.append(Column(header, truth, hinted, values))
    return columns


def _typo(value: str, rng: random.Random) -> str:
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    if not digits:
        return value[::-1]
    i = rng.choice(digits)
    return value[:i] + str((int(value[i]) + rng.randint(1, 9)) % 10) + value[i + 1 :]


def _de_iban(fake) -> str:  # type: ignore[no-untyped-def]
    from faker import Faker

    german = Faker("de_DE")
    german.seed_instance(fake.random.randint(0, 10**9))
    return str(german.iban())


def _date_text(date: dt.date, locale: str) -> str:
    if locale == "en_US":
        return f"{date:%m/%d/%Y}"
    if locale == "de_DE":
        return f"{date:%d.%m.%Y}"
    return date.isoformat()


# ---- peer: Presidio, in its own interpreter ---------------------------------------------


def presidio_worker(listing: str) -> int:
    """Runs under the peer's Python: classify the columns of each CSV named in ``listing``."""
    import pandas as pd
    import tldextract.tldextract as tld  # offline: the bundled public-suffix snapshot
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine.no_op_nlp_engine import NoOpNlpEngine
    from presidio_structured import PandasAnalysisBuilder

    tld.TLD_EXTRACTOR = tld.TLDExtract(suffix_list_urls=(), cache_dir=None)
    from presidio_structured.analysis_builder import NON_PII_ENTITY_TYPE

    paths = json.loads(Path(listing).read_text())
    engine = AnalyzerEngine(
        nlp_engine=NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}]),
        supported_languages=["en"],
    )
    builder = PandasAnalysisBuilder(analyzer=engine)
    configs = {"default": 0.0, "score>=0.5": 0.5}
    results: dict[str, dict[str, object]] = {
        name: {"seconds": 0.0, "columns": {}} for name in configs
    }
    for path in paths:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        start = time.perf_counter()
        # what generate_analysis does (all rows, "most_common"), analysed once and then
        # selected with and without a minimum recognizer score
        per_column = builder._batch_analyze_df(frame, "en")
        shared = time.perf_counter() - start
        for name, threshold in configs.items():
            mapping: dict[str, str] = {}
            for column, cells in per_column.items():
                kept = [[r for r in cell if r.score >= threshold] for cell in cells]
                chosen = builder._find_entity_based_on_strategy(kept, "most_common", 0.5)
                if chosen.entity_type != NON_PII_ENTITY_TYPE:
                    mapping[column] = chosen.entity_type
            entry = results[name]
            entry["seconds"] = float(entry["seconds"]) + shared  # type: ignore[arg-type]
            entry["columns"][path] = mapping  # type: ignore[index]
    print(json.dumps(results))
    return 0


def run_presidio(
    python: str, tables: dict[str, list[Column]], gdc: list[Path]
) -> dict[str, dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        paths: list[str] = []
        for name, table in tables.items():
            path = Path(tmp) / f"{name}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow([c.header for c in table])
                writer.writerows(zip(*(c.values for c in table), strict=True))
            paths.append(str(path))
        paths.extend(str(p) for p in gdc)
        listing = Path(tmp) / "listing.json"
        listing.write_text(json.dumps(paths))
        proc = subprocess.run(
            [python, __file__, "--presidio-worker", str(listing)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise SystemExit(f"presidio worker failed: {proc.stderr.strip().splitlines()[-1:]}")
        results: dict[str, dict[str, object]] = json.loads(proc.stdout.strip().splitlines()[-1])
        for result in results.values():
            columns = result["columns"]
            assert isinstance(columns, dict)
            result["columns"] = {
                Path(k).stem if k.startswith(tmp) else k: v for k, v in columns.items()
            }
        return results


def presidio_category(entity: str | None) -> str:
    if entity is None:
        return "none"
    return "quasi" if entity == "UUID" else "direct"


# ---- scoring -----------------------------------------------------------------------------


def score(
    pairs: list[tuple[str, str]], categories: tuple[str, ...] = ("direct", "quasi", "none")
) -> dict[str, tuple[float, float, int]]:
    """precision, recall, support per category from (truth, predicted) pairs."""
    out: dict[str, tuple[float, float, int]] = {}
    for cat in categories:
        tp = sum(1 for t, p in pairs if t == cat and p == cat)
        predicted = sum(1 for _, p in pairs if p == cat)
        support = sum(1 for t, _ in pairs if t == cat)
        out[cat] = (tp / predicted if predicted else 1.0, tp / support if support else 1.0, support)
    return out


def run(seeds: list[int], rows: int, presidio: str | None = None) -> int:
    from harmonize.privacy.names import load_name_lists
    from harmonize.privacy.scan import scan_columns, scan_table

    _check_ids()
    all_lists = load_name_lists()
    per_seed: dict[str, list[dict[str, tuple[float, float, int]]]] = defaultdict(list)
    kind_hits: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    misses: Counter[str] = Counter()
    n_columns = 0
    n_values = 0
    elapsed = 0.0
    generated: dict[str, list[Column]] = {}
    for mode in ("all", "holdout"):
        for seed in seeds:
            pairs: list[tuple[str, str]] = []
            for locale in LOCALES:
                table = make_table(locale, seed, rows)
                lists = all_lists if mode == "all" else load_name_lists(exclude_locales=(locale,))
                start = time.perf_counter()
                findings = scan_columns(
                    {c.header: c.values for c in table}, names=lists, today=TODAY
                )
                if mode == "all":
                    generated[f"{locale}_{seed}"] = table
                    elapsed += time.perf_counter() - start
                    n_columns += len(table)
                    n_values += sum(len(c.values) for c in table)
                for column, finding in zip(table, findings, strict=True):
                    category, kind = TRUTH[column.truth]
                    pairs.append((category, finding.category))
                    ok = finding.category == category and finding.kind == kind
                    key = (mode, column.truth)
                    kind_hits[key]["ok" if ok else "miss"] += 1
                    if column.hinted:
                        kind_hits[key]["hinted"] += 1
                        kind_hits[key]["hinted_ok"] += ok
                    else:
                        kind_hits[key]["neutral"] += 1
                        kind_hits[key]["neutral_ok"] += ok
                    if not ok and mode == "all":
                        misses[
                            f"{locale} {column.truth} ({'hinted' if column.hinted else 'neutral'}) -> {finding.category}/{finding.kind}"
                        ] += 1
            per_seed[mode].append(score(pairs))

    print(
        f"harmonize privacy scan - synthetic tables: seeds {seeds}, {len(LOCALES)} locales, "
        f"{rows} rows, {len(TRUTH)} columns each"
    )
    print()
    print(f"{'names':8} {'category':9} {'precision':>22} {'recall':>22} {'columns':>8}")
    for mode in ("all", "holdout"):
        for cat in ("direct", "quasi", "none"):
            prec = [s[cat][0] for s in per_seed[mode]]
            rec = [s[cat][1] for s in per_seed[mode]]
            support = sum(s[cat][2] for s in per_seed[mode])
            print(f"{mode:8} {cat:9} {_stat(prec):>22} {_stat(rec):>22} {support:>8}")
    print("(mean [min-max] over seeds)")
    print()
    print(f"{'kind':18} {'recall':>7} {'header named':>13} {'neutral header':>15} {'holdout':>8}")
    for truth in TRUTH:
        counts = kind_hits[("all", truth)]
        hold = kind_hits[("holdout", truth)]
        total = counts["ok"] + counts["miss"]
        print(
            f"{truth:18} {counts['ok'] / total:>7.3f} "
            f"{_ratio(counts['hinted_ok'], counts['hinted']):>13} "
            f"{_ratio(counts['neutral_ok'], counts['neutral']):>15} "
            f"{hold['ok'] / (hold['ok'] + hold['miss']):>8.3f}"
        )
    if misses:
        print()
        print("misses (all name lists):")
        for text, count in misses.most_common(12):
            print(f"  {count:3d} x {text}")

    print()
    sources = sorted(GDC.glob("*/source.csv"))
    if not sources:
        print(f"GDC studies not found at {GDC}", file=sys.stderr)
        return 1
    gdc_cols = 0
    gdc_direct: list[str] = []
    gdc_cats: Counter[str] = Counter()
    gdc_start = time.perf_counter()
    gdc_findings = [(source, scan_table(source)) for source in sources]
    gdc_elapsed = time.perf_counter() - gdc_start
    for source, findings in gdc_findings:
        for finding in findings:
            gdc_cols += 1
            gdc_cats[finding.category] += 1
            if finding.is_direct:
                gdc_direct.append(f"{source.parent.name}.{finding.column} ({finding.kind})")
    print(
        f"GDC negatives: {len(sources)} studies, {gdc_cols} columns; direct false positives: "
        f"{len(gdc_direct)}; quasi: {gdc_cats['quasi']}, none: {gdc_cats['none']}"
    )
    for item in gdc_direct:
        print(f"  FP {item}")
    print()
    print(
        f"speed: {n_columns} columns, {n_values} cells scanned in {elapsed:.1f} s "
        f"({n_values / elapsed:,.0f} cells/s); synthetic + GDC tables (files read): "
        f"{elapsed + gdc_elapsed:.1f} s"
    )
    if presidio:
        _report_presidio(presidio, generated, seeds, sources)
    direct_recall = statistics.mean(s["direct"][1] for s in per_seed["all"])
    ok = direct_recall >= 0.98 and not gdc_direct
    print(f"goals (direct recall >= 0.98, zero GDC direct FP): {'met' if ok else 'NOT met'}")
    return 0


def _report_presidio(
    python: str, generated: dict[str, list[Column]], seeds: list[int], sources: list[Path]
) -> None:
    for config, result in run_presidio(python, generated, sources).items():
        columns = result["columns"]
        assert isinstance(columns, dict)
        per_seed = []
        for seed in seeds:
            pairs = []
            for locale in LOCALES:
                found = columns[f"{locale}_{seed}"]
                for column in generated[f"{locale}_{seed}"]:
                    predicted = presidio_category(found.get(column.header))
                    pairs.append((TRUTH[column.truth][0], predicted))
            per_seed.append(score(pairs))
        print()
        print(f"peer: Presidio {config} (presidio-structured, pattern recognizers; same tables)")
        print(f"{'category':9} {'precision':>22} {'recall':>22}")
        for cat in ("direct", "quasi", "none"):
            prec = [s[cat][0] for s in per_seed]
            rec = [s[cat][1] for s in per_seed]
            print(f"{cat:9} {_stat(prec):>22} {_stat(rec):>22}")
        fps = [
            f"{source.parent.name}.{col} ({entity})"
            for source in sources
            for col, entity in columns[str(source)].items()
            if presidio_category(entity) == "direct"
        ]
        shown = ", ".join(fps[:6]) + (" ..." if len(fps) > 6 else "")
        print(f"GDC direct false positives: {len(fps)} of {_n_columns(sources)}: {shown}")
        print(f"time: {result['seconds']:.1f} s (synthetic + GDC tables)")


def _n_columns(sources: list[Path]) -> int:
    total = 0
    for source in sources:
        with source.open(encoding="utf-8", newline="") as handle:
            total += len(next(csv.reader(handle)))
    return total


def _stat(values: list[float]) -> str:
    return f"{statistics.mean(values):.3f} [{min(values):.3f}-{max(values):.3f}]"


def _ratio(hit: int, total: int) -> str:
    return f"{hit / total:.3f} ({total})" if total else "-"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 23, 37, 41, 59])
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--presidio", metavar="PYTHON", help="a Python with presidio-structured")
    parser.add_argument("--presidio-worker", metavar="LISTING", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.presidio_worker:
        return presidio_worker(args.presidio_worker)
    return run(args.seeds, args.rows, args.presidio)


if __name__ == "__main__":
    sys.exit(main())
