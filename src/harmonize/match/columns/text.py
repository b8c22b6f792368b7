"""Words of column names, slot names and slot descriptions, for column matching.

Pure functions. A column header such as ``Path_Stage_Reg_Lymph_Nodes-pN`` or
``num_yrs_alc_con`` becomes words (``split_identifier`` + ``normalize``), generic
biomedical abbreviations are expanded (``yrs`` -> ``year``, ``dx`` -> ``diagnosis``),
units written into the name are recognised (``_cm`` -> length in centimeter) and every
word is reduced to a crude stem so ``pathologic``/``pathological``/``pathology`` meet.

The abbreviation and synonym tables are general clinical/biomedical shorthand, written
from domain knowledge; none was taken from a benchmark's ground truth.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from harmonize.text.normalize import normalize, split_identifier

__all__ = [
    "ABBREVIATIONS",
    "CONTRASTS",
    "SYNONYMS",
    "TNM",
    "UNITS",
    "NameWords",
    "name_words",
    "stem",
    "text_stems",
]

#: Generic clinical/biomedical shorthand seen in column headers -> words.
ABBREVIATIONS: dict[str, str] = {
    "dx": "diagnosis", "diag": "diagnosis", "hx": "history", "hist": "history",
    "tx": "treatment", "rx": "therapy", "sx": "symptom", "fx": "fracture",
    "pt": "patient", "pts": "patient", "subj": "subject", "yrs": "year", "yr": "year",
    "mos": "month", "mo": "month", "mon": "month", "wks": "week", "wk": "week",
    "hrs": "hour", "hr": "hour", "min": "minute", "mins": "minute", "sec": "second",
    "num": "number", "no": "number", "nr": "number", "cnt": "count", "n": "number",
    "pct": "percent", "perc": "percent", "avg": "average", "std": "standard",
    "max": "maximum", "dim": "dimension", "diam": "diameter", "vol": "volume",
    "wt": "weight", "ht": "height", "temp": "temperature",
    "path": "pathologic", "patho": "pathologic", "pathol": "pathologic",
    "clin": "clinical", "clinic": "clinical", "dist": "distant", "reg": "regional",
    "mets": "metastasis", "met": "metastasis", "metas": "metastasis",
    "metast": "metastasis", "ln": "lymph node", "lns": "lymph node", "lnn": "lymph node",
    "nodes": "node", "neo": "neoplasm", "ca": "cancer", "carc": "carcinoma",
    "histo": "histologic", "histol": "histologic", "morph": "morphology",
    "grd": "grade", "stg": "stage", "prim": "primary", "sec2": "secondary",
    "recur": "recurrence", "rec": "recurrence", "prog": "progression", "surv": "survival",
    "os": "overall survival", "pfs": "progression free survival",
    "dfs": "disease free survival", "fu": "follow up", "f/u": "follow up",
    "bmi": "body mass index", "bsa": "body surface area", "bp": "blood pressure",
    "er": "estrogen receptor", "pr": "progesterone receptor", "pgr": "progesterone receptor",
    "her2": "erbb2", "hpv": "human papillomavirus", "ebv": "epstein barr virus",
    "hbv": "hepatitis b virus", "hcv": "hepatitis c virus", "hiv": "human immunodeficiency",
    "lvsi": "lymphovascular invasion", "lvi": "lymphovascular invasion",
    "pni": "perineural invasion", "msi": "microsatellite instability",
    "ihc": "immunohistochemistry", "tils": "tumor infiltrating lymphocyte",
    "ecog": "ecog performance status", "kps": "karnofsky performance score",
    "alc": "alcohol", "etoh": "alcohol", "consum": "consumption", "cons": "consumption",
    "con": "consumption", "cig": "cigarette", "cigs": "cigarette", "smk": "smoking",
    "smok": "smoking", "tob": "tobacco", "pk": "pack", "pky": "pack year",
    "chemo": "chemotherapy", "rad": "radiation", "rt": "radiation therapy",
    "xrt": "radiation therapy", "hormone": "hormone", "surg": "surgery",
    "resec": "resection", "bx": "biopsy", "spec": "specimen", "samp": "sample",
    "id": "identifier", "ids": "identifier", "dob": "date birth", "dod": "date death",
    "yob": "year birth", "ethn": "ethnicity", "eth": "ethnicity", "sex": "sex",
    "ctry": "country", "cntry": "country", "loc": "location", "lat": "laterality",
    "wbc": "white blood cell", "rbc": "red blood cell", "hgb": "hemoglobin",
    "ldh": "lactate dehydrogenase", "psa": "prostate specific antigen",
    "cea": "carcinoembryonic antigen", "afp": "alpha fetoprotein",
    "inv": "invasion", "ext": "extension", "extr": "extranodal", "neg": "negative",
    "pos": "positive", "stat": "status", "vital": "vital", "dt": "date",
    "init": "initial", "idx": "index", "amp": "amplification", "mut": "mutation",
}  # fmt: skip

#: Units written into headers -> (unit word, quantity kind).
UNITS: dict[str, tuple[str, str]] = {
    "cm": ("centimeter", "length"), "mm": ("millimeter", "length"),
    "m": ("meter", "length"), "in": ("inch", "length"), "kg": ("kilogram", "mass"),
    "g": ("gram", "mass"), "mg": ("milligram", "mass"), "lb": ("pound", "mass"),
    "lbs": ("pound", "mass"), "yrs": ("year", "time"), "yr": ("year", "time"),
    "years": ("year", "time"), "year": ("year", "time"), "mos": ("month", "time"),
    "months": ("month", "time"), "month": ("month", "time"), "wks": ("week", "time"),
    "weeks": ("week", "time"), "days": ("day", "time"), "day": ("day", "time"),
    "d": ("day", "time"), "hrs": ("hour", "time"), "hours": ("hour", "time"),
    "min": ("minute", "time"), "minutes": ("minute", "time"), "%": ("percent", "ratio"),
    "percent": ("percent", "ratio"), "pct": ("percent", "ratio"),
    "percentage": ("percent", "ratio"), "ml": ("milliliter", "volume"),
}  # fmt: skip

#: Generic equivalences between clinical words (both directions are added).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "sex": ("gender",), "tumor": ("neoplasm",), "size": ("dimension", "diameter"),
    "smoking": ("tobacco", "smoke"), "smoke": ("smoking", "tobacco"), "staging": ("stage",),
    "grading": ("grade",), "histologic": ("histology",), "metastasis": ("metastatic",),
    "death": ("died", "deceased"), "survival": ("vital",), "race": ("racial",),
    "birth": ("born",), "cigarette": ("tobacco", "smoking"), "node": ("nodal",),
    "lymphovascular": ("lymphatic", "vascular"), "estrogen": ("oestrogen",),
    "erbb2": ("her2",), "therapy": ("treatment",), "treatment": ("therapy",),
    "site": ("location",), "location": ("site",), "identifier": ("id",),
    "fraction": ("percent", "proportion"), "percent": ("fraction", "proportion"),
    "start": ("onset", "begin"), "onset": ("start",), "stop": ("quit", "cessation", "end"),
    "quit": ("stop", "cessation"), "lymph": ("lymphatic",), "lymphatic": ("lymph",),

    "participant": ("patient", "subject"), "patient": ("participant", "subject"),
    "morphology": ("histologic",), "country": ("nation",), "weight": ("mass",),
    "cause": ("reason",), "reason": ("cause",), "first": ("initial",), "initial": ("first",),
}  # fmt: skip

#: Words that exclude each other in a name: a "pathologic" column is not a "clinical"
#: slot, a "tumor" sample not a "normal" one (generic clinical contrasts).
CONTRASTS: tuple[tuple[str, str], ...] = (
    ("pathologic", "clinical"), ("tumor", "normal"), ("positive", "negative"),
    ("left", "right"), ("upper", "lower"), ("start", "stop"), ("onset", "quit"),
    ("start", "end"), ("birth", "death"), ("first", "last"), ("minimum", "maximum"),
    ("pre", "post"), ("before", "after"), ("primary", "recurrence"), ("primary", "metastatic"),
    ("mother", "father"), ("maternal", "paternal"), ("diagnosis", "death"),
    ("examined", "positive"), ("tested", "positive"), ("present", "absent"),
    ("grade", "stage"),
)  # fmt: skip

#: TNM letters -> what they stage (generic AJCC/UICC TNM knowledge).
TNM: dict[str, tuple[str, ...]] = {
    "t": ("primary", "tumor"), "n": ("regional", "lymph", "node"), "m": ("distant", "metastasis"),
}  # fmt: skip
_TNM_PREFIX = {"p": "pathologic", "yp": "pathologic", "c": "clinical", "yc": "clinical"}
_STAGE_WORDS = frozenset({"stage", "staging", "tnm", "ajcc", "uicc", "stg"})
#: Staging systems that, when named, replace the default (AJCC) one.
_SYSTEMS = frozenset({"ajcc", "uicc", "figo", "ann", "arbor", "cog", "masaoka", "inss", "iss"})

_SUFFIXES = (
    "ological", "ologic", "ology", "ically", "ical", "ation", "ations", "ments", "ment",
    "ness", "ings", "ing", "ies", "ied", "ed", "ic", "al", "ity", "ive", "es", "s", "y", "e",
)  # fmt: skip
_STEM_LEN = 7
#: Function words dropped from names ("Age.in.Month" is about age and month).
_NAME_STOP = frozenset({"a", "an", "the", "of", "in", "on", "and", "or", "for", "with", "to",
                        "by", "at", "per", "from"})  # fmt: skip
_PERCENT = re.compile(r"%")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A crude stem: one common suffix dropped, then truncated to 7 letters.

    >>> stem("pathological") == stem("pathologic") == stem("pathology")
    True
    >>> stem("staging") == stem("stage")
    True
    """
    if len(word) > 4 and word.isalpha():
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
    return word[:_STEM_LEN]


@dataclass(frozen=True, slots=True)
class NameWords:
    """The words of a column or slot name.

    ``raw``: the name's own words, normalised; ``expanded``: with abbreviations spelled
    out (the original kept); ``synonyms``: extra words from :data:`SYNONYMS`;
    ``unit``/``quantity``: a unit written into the name, e.g. ``("centimeter", "length")``.
    """

    raw: tuple[str, ...]
    expanded: tuple[str, ...]
    synonyms: tuple[str, ...]
    unit: str | None = None
    quantity: str | None = None

    @property
    def text(self) -> str:
        return " ".join(self.expanded)

    @property
    def raw_text(self) -> str:
        return " ".join(self.raw)


@functools.lru_cache(maxsize=50_000)
def name_words(name: str) -> NameWords:
    """Words of a column/slot name: split, normalised, abbreviations and units resolved.

    >>> name_words("Tumor_Size_cm").expanded
    ('tumor', 'size', 'centimeter')
    >>> name_words("num_yrs_alc_con").expanded
    ('number', 'year', 'alcohol', 'consumption')
    """
    text = _PERCENT.sub(" percent ", name)
    raw = normalize(split_identifier(text)).split()
    raw, tnm_words = _tnm(raw)
    expanded: list[str] = []
    unit = quantity = None
    for position, word in enumerate(raw):
        if word in _NAME_STOP and len(raw) > 1:
            continue
        if word in tnm_words:
            expanded.append(word)
            continue
        last = position == len(raw) - 1 and position > 0
        if last and word in UNITS:
            unit, quantity = UNITS[word]
            expanded.append(unit)
            continue
        if word in ABBREVIATIONS and not (word == "n" and not last and len(raw) == 1):
            expanded.extend(ABBREVIATIONS[word].split())
        else:
            expanded.append(word)
    if unit is None:
        for word in raw:
            if word in UNITS and UNITS[word][0] in {"percent", "year", "day", "month"}:
                unit, quantity = UNITS[word]
                break
    extra = [s for w in expanded for s in SYNONYMS.get(w, ())]
    extra += [s for w in expanded if w in tnm_words for s in TNM.get(w, ())]
    if (tnm_words or _STAGE_WORDS & set(raw)) and not _SYSTEMS & set(raw):
        extra.append("ajcc")  # TNM stage without a named system: AJCC is the default
    synonyms = tuple(dict.fromkeys(s for s in extra if s not in expanded))
    return NameWords(tuple(raw), tuple(expanded), synonyms, unit, quantity)


def _tnm(raw: list[str]) -> tuple[list[str], frozenset[str]]:
    """Resolve TNM codes (``pT``, ``pn``, ``cM``) in a staging context.

    ``pT`` split by camel case arrives as ``p t``; a fused ``pt`` is read as TNM only
    when a staging word (stage, staging, tnm, path/clin) is in the same name.
    """
    context = bool(_STAGE_WORDS & set(raw)) or bool(
        {"path", "patho", "pathologic", "clin", "clinic", "clinical"} & set(raw)
        and {"t", "n", "m", "pt", "pn", "pm", "ct", "cn", "cm"} & set(raw)
    )
    out: list[str] = []
    letters: set[str] = set()
    i = 0
    while i < len(raw):
        word = raw[i]
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        if word in _TNM_PREFIX and nxt in TNM:
            out += [_TNM_PREFIX[word], nxt]
            letters.add(nxt)
            i += 2
            continue
        if context and len(word) in (2, 3) and word[-1] in TNM and word[:-1] in _TNM_PREFIX:
            out += [_TNM_PREFIX[word[:-1]], word[-1]]
            letters.add(word[-1])
        elif context and word in TNM:
            out.append(word)
            letters.add(word)
        else:
            out.append(word)
        i += 1
    return out, frozenset(letters)


def text_stems(text: str) -> list[str]:
    """Stems of a free text (a description), stop words kept out."""
    from harmonize.text.normalize import STOP_WORDS

    return [stem(w) for w in normalize(text, drop_brackets=False).split() if w not in STOP_WORDS]
