"""Normalisation of labels, synonyms, column names and partner values.

Pure functions only: no I/O, no state (but a bounded memo of word singulars, which never
changes a result). ``normalize`` is idempotent
(``normalize(normalize(x)) == normalize(x)``) and never raises on any ``str``.
``normalize_steps`` also reports which steps changed the text, so a matcher can
explain a candidate ("matched after: case, punctuation, plural").
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

__all__ = [
    "GREEK",
    "Normalized",
    "american_spelling",
    "normalize",
    "normalize_steps",
    "split_identifier",
    "tokens",
]

GREEK: dict[str, str] = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma",
    "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip

# British -> American spellings, as suffix/infix rules that hold across biomedical text.
_SPELLING: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"aemia\b", "emia"),
        (r"oedema", "edema"),
        (r"ooesophag", "oesophag"),  # gastrooesophageal (not "gastroesophageal": American)
        (r"(?<![a-z])oesophag", "esophag"),
        (r"oestr", "estr"),
        (r"haem", "hem"),
        (r"paed", "ped"),
        (r"foet", "fet"),
        (r"ischaem", "ischem"),
        (r"tumour", "tumor"),
        (r"colour", "color"),
        (r"behaviour", "behavior"),
        (r"\bfaeces\b", "feces"),
        (r"\bfaecal\b", "fecal"),
        (r"leukaem", "leukem"),
        (r"anaem", "anem"),
        (r"coeliac", "celiac"),
        (r"rrhoe", "rrhe"),  # diarrhoea, seborrhoeic, amenorrhoea, gonorrhoea
        (r"pnoe", "pne"),  # dyspnoea, apnoea, tachypnoea
        (r"aecolog", "ecolog"),  # gynaecology
        (r"\baetiol", "etiol"),
        (r"anaesth", "anesth"),
        (r"\bcaec", "cec"),  # caecum, caecal
        (r"naev", "nev"),  # naevus, naevi
        (r"\blabour", "labor"),
        (r"\bodour", "odor"),
        (r"\bageing\b", "aging"),
        (r"\bmould", "mold"),
        (r"orthopaed", "orthoped"),
        (r"isation\b", "ization"),
        (r"ise\b", "ize"),
        (r"yse\b", "yze"),
        (r"\bcentre\b", "center"),
        (r"\bfibre", "fiber"),
        (r"\bgrey\b", "gray"),
        (r"\bsulph", "sulf"),
        (r"\baluminium\b", "aluminum"),
    )
)

# Words that carry no meaning for matching ("NOS", "unspecified" qualifiers included).
STOP_WORDS: frozenset[str] = frozenset(
    {
        "a", "an", "the", "of", "in", "on", "and", "or", "for", "with", "to", "by", "at",
        "nos", "unspecified", "other", "not", "otherwise", "specified", "type", "disease",
    }
)  # fmt: skip
# "disease" is only dropped by ``tokens(..., drop_stop=True)``; ``normalize`` keeps words.

_NORMALIZE_DROP = frozenset({"nos", "unspecified"})
_BRACKETED = re.compile(r"\s*[\(\[\{][^\)\]\}]*[\)\]\}]\s*")
#: a bracket glued to a word of one or two letters is part of that word, as immunology
#: writes it ("T(H)1", "B(reg)", "T(FH)"): read as "th1", "breg", "tfh", not as "t"
_GLUED = re.compile(r"(?<![^\W_])([a-z]{1,2})\(([a-z0-9]{1,5})\)")
_NON_WORD = re.compile(r"[^0-9a-z+]+")
#: a minus sign after a marker (letters then digits: "cd16-", "ly6c-"), before a space,
#: a separator or the end (casefolded text)
_MINUS_SIGN = re.compile(r"(?<![\w-])([a-z]{1,6}\d+[a-z]?)-(?=[\s,;/)]|$)")
_SPACES = re.compile(r"\s+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOS_PHRASE = re.compile(
    r"\b(not otherwise specified|nos|unspecified|not specified|not elsewhere classified"
    r"|not elsewhere specified|not classified elsewhere|nec)\b"
)


class Normalized(NamedTuple):
    """A normalised string and the names of the steps that changed it (a tuple: made for
    every name and value, each in a fraction of a frozen dataclass's time)."""

    text: str
    steps: tuple[str, ...]


def _unicode(text: str) -> str:
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    text = "".join(GREEK.get(ch, GREEK.get(ch.lower(), ch)) for ch in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Singular words ending in "-as" (most "-as" words are "-a" plurals: carcinomas, leukemias).
_AS_SINGULAR = frozenset({"pancreas", "atlas", "alias", "bias", "canvas", "gas", "vas"})


#: word -> its singular, for words already met (bounded: cleared when full)
_SINGULAR_MEMO: dict[str, str] = {}
_SINGULAR_MEMO_MAX = 200_000


_CODE_PLURAL = re.compile(r"[a-z]{2,}\d{1,2}s")


def _singular_memo(word: str) -> str:
    out = _singular(word)
    if len(_SINGULAR_MEMO) >= _SINGULAR_MEMO_MAX:
        _SINGULAR_MEMO.clear()
    _SINGULAR_MEMO[word] = out
    return out


# Latin plurals in "-i" of medical words (a closed list: "-i" alone also ends "pakistani")
_LATIN_I_PLURAL = frozenset(
    {"nevi", "bronchi", "bronchioli", "alveoli", "emboli", "calculi", "fungi", "bacilli",
     "nuclei", "thrombi", "villi", "glomeruli", "fasciculi", "stimuli", "foci", "loci",
     "acini", "sulci", "gyri", "nucleoli", "lobuli", "tubuli", "condyli", "humeri", "radii"}
)  # fmt: skip


#: Latin and Greek plurals of anatomy and pathology whose singular no suffix rule gives
#: (a closed list: "-es" alone also ends "processes", "-a" ends "vagina")
_CLASSICAL_PLURAL: dict[str, str] = {
    "testes": "testis", "cortices": "cortex", "apices": "apex", "cervices": "cervix",
    "appendices": "appendix", "vertices": "vertex", "metastases": "metastasis",
    "epiphyses": "epiphysis", "diaphyses": "diaphysis", "metaphyses": "metaphysis",
    "anastomoses": "anastomosis", "stenoses": "stenosis", "thromboses": "thrombosis",
    "ganglia": "ganglion", "vertebrae": "vertebra", "papillae": "papilla",
    "ampullae": "ampulla", "fasciae": "fascia", "lamellae": "lamella", "corpora": "corpus",
    "foramina": "foramen", "lumina": "lumen", "septa": "septum", "atria": "atrium",
    "labia": "labium", "crura": "crus", "ova": "ovum", "spermatozoa": "spermatozoon",
    "bronchioles": "bronchiole", "alveolae": "alveola", "phalanges": "phalanx",
}  # fmt: skip


def _singular(word: str) -> str:
    if len(word) <= 3 or not word.isalpha():
        # a code's plural: letters, a number, "s" ("ILC2s", "cDC1s", "Th17s")
        return word[:-1] if _CODE_PLURAL.fullmatch(word) else word
    classical = _CLASSICAL_PLURAL.get(word)
    if classical is not None:
        return classical
    if word in _LATIN_I_PLURAL or word.endswith("cocci"):  # naevi, streptococci
        return word[:-1] + "us"
    if word.endswith("omata"):  # carcinomata
        return word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("as"):
        return word if word in _AS_SINGULAR or len(word) <= 4 else word[:-1]
    if word.endswith(("ss", "us", "is", "os")):
        return word
    if word.endswith("s"):
        return word[:-1]
    return word


_SPELLING_ANY = re.compile("|".join(f"(?:{p.pattern})" for p, _ in _SPELLING))
# every British spelling above contains one of these (a cheap test before the regex)
_SPELLING_HINTS = (
    "ae", "oe", "our", "ise", "isat", "yse", "centre", "fibre", "grey", "sulph", "aluminium",
    "ageing", "mould",
)  # fmt: skip
_NOS_HINTS = ("nos", "not", "nec", "unspecified")  # every _NOS_PHRASE alternative has one
_OPENING = ("(", "[", "{")


def american_spelling(text: str) -> str:
    """``text`` (lower case) with British spellings made American: "haemorrhage" -> "hemorrhage"."""
    return _spelling(text)


def _spelling(text: str) -> str:
    if not any(hint in text for hint in _SPELLING_HINTS) or _SPELLING_ANY.search(text) is None:
        return text
    for pattern, repl in _SPELLING:
        text = pattern.sub(repl, text)
    return text


def normalize_steps(text: str, *, drop_brackets: bool = True) -> Normalized:
    """Normalise ``text`` and report which steps changed it.

    Steps, in order: ``unicode`` (NFKC, Greek letters spelled out, accents stripped),
    ``case``, ``brackets`` (bracketed qualifiers removed), ``nos`` ("NOS",
    "unspecified"), ``punctuation`` (hyphens, slashes, underscores... to spaces; ``+``
    kept, as in "CD4+"; a marker's ``-`` read as "negative", as in "CD16-"), ``spelling``
    (British to American), ``plural``.

    >>> normalize_steps("Tumours (NOS)").text
    'tumor'
    >>> normalize_steps("CD4-positive, alpha-beta T cells").text
    'cd4 positive alpha beta t cell'
    >>> normalize_steps("CD16- monocyte").text, normalize_steps("CD16 monocytes").text
    ('cd16 negative monocyte', 'cd16 monocyte')
    >>> normalize_steps("T(FH)").text, normalize_steps("liver (left)").text
    ('tfh', 'liver')
    """
    steps: list[str] = []
    current = _unicode(text)
    if current != text:
        steps.append("unicode")
    new = current.casefold()
    if new != current:
        steps.append("case")
        current = new
    if "(" in current:
        new = _GLUED.sub(r"\1\2", current)
        if new != current:
            steps.append("punctuation")
            current = new
    if drop_brackets:
        # (without an opening bracket the regex cannot match: only the strip applies)
        if any(c in current for c in _OPENING):
            new = _BRACKETED.sub(" ", current).strip()
        else:
            new = current.strip()
        if new and new != current:  # never drop everything
            steps.append("brackets")
            current = new
    if any(hint in current for hint in _NOS_HINTS):
        new = _NOS_PHRASE.sub(" ", current)
        if new != current and _NON_WORD.sub("", new):
            steps.append("nos")
            current = new
    # only [0-9a-z+] and single spaces are left: split/join collapses and strips the spaces;
    # a marker's minus sign is a word ("CD16- monocyte" is "CD16-negative", not "CD16")
    marked = _MINUS_SIGN.sub(r"\1 negative", current) if "-" in current else current
    new = " ".join(_NON_WORD.sub(" ", marked).split())
    if new != current:
        if "punctuation" not in steps:
            steps.append("punctuation")
        current = new
    new = _spelling(current)
    if new != current:
        steps.append("spelling")
        current = new
    if current:
        memo = _SINGULAR_MEMO  # (a singular is never empty)
        new = " ".join([memo.get(w) or _singular_memo(w) for w in current.split(" ")])
        if new != current:
            steps.append("plural")
            current = new
    return Normalized(current, tuple(steps))


def normalize(text: str, *, drop_brackets: bool = True) -> str:
    """Normalise ``text`` for matching; idempotent.

    >>> normalize("Alzheimer's Disease")
    'alzheimer s disease'
    >>> normalize("Leukaemias")
    'leukemia'
    """
    result = normalize_steps(text, drop_brackets=drop_brackets).text
    again = normalize_steps(result, drop_brackets=drop_brackets).text
    while again != result:  # converge (e.g. a plural exposed by spelling)
        result, again = again, normalize_steps(again, drop_brackets=drop_brackets).text
    return result


def tokens(text: str, *, drop_stop: bool = False) -> list[str]:
    """Words of the normalised text, optionally without stop words.

    >>> tokens("The liver of a mouse", drop_stop=True)
    ['liver', 'mouse']
    """
    words = normalize(text).split()
    if drop_stop:
        kept = [w for w in words if w not in STOP_WORDS]
        return kept or words
    return words


def split_identifier(name: str) -> str:
    """Split a column/slot name into words: snake, kebab, dotted and camel case.

    >>> split_identifier("Tumor.Size_cm")
    'Tumor Size cm'
    >>> split_identifier("histologicGradeFIGO")
    'histologic Grade FIGO'
    """
    spaced = _CAMEL.sub(" ", name)
    return _SPACES.sub(" ", re.sub(r"[_\.\-/]+", " ", spaced)).strip()
