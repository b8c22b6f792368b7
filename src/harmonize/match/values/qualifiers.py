"""Qualifiers in a partner's value: words about the sample, not the term's name.

``"adult heart"``, ``"liver bx"``, ``"human skin"``, ``"normal adjacent tissue"``,
``"lung 17"``: a curator reads a head (``heart``, ``liver``, ``skin``, ``lung``) and sets the
rest aside: the **species** (the data's taxon), the **life stage** and the **state or
source** (modelled by other slots), the **sampling** (biopsy, resection, specimen), the
**side** (left, right) and **counts or IDs** (``80%``, ``rep2``, ``17``). Pure functions;
the lists are general sample-description vocabulary (no word from a gold file).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from harmonize.match.values.qualifier_words import (
    DISEASE_STATE,
    KINDS,
    NORMAL_STATE,
    SPECIES,
    WORDS,
    QualifierKind,
)
from harmonize.match.values.readings import says_disease
from harmonize.match.values.shorthand import is_shorthand

__all__ = [
    "KINDS",
    "SPECIES",
    "Qualifier",
    "QualifierKind",
    "Split",
    "ends_in_cluster_count",
    "is_qualifier",
    "says_cells",
    "species_taxon",
    "split_qualifiers",
]

_PATTERN = re.compile(
    "|".join(
        rf"(?P<{kind.replace(' ', '_')}>(?<![^\W_])(?<!\+)(?<![A-Za-z]-)(?:{words})(?![^\W_])(?!\+))"
        for kind, words in WORDS.items()
    ),
    re.IGNORECASE,
)
_SPECIES = re.compile(rf"(?<![\w+])(?:{WORDS['species']})(?![\w+])", re.IGNORECASE)
#: (a count is a sample ID or a share; numbers that name are no counts: see _names_it)
_NEVER_NAMED: frozenset[QualifierKind] = frozenset(
    {"species", "state", "quality", "sampling", "marker", "count"}
)
_UNMARKED: frozenset[QualifierKind] = _NEVER_NAMED - {"marker"}
#: a bare number after these words names a subtype or a part ("type 42", "layer 5")
_NAMING_WORDS = frozenset(
    {"type", "subtype", "grade", "stage", "class", "group", "form", "factor", "member",
     "protein", "receptor", "antigen", "chromosome", "layer", "segment", "level", "region",
     "field", "area", "lobe", "lobule", "ventricle", "rhombomere", "somite", "digit", "rib",
     "vertebra", "cervical", "thoracic", "lumbar", "sacral", "coccygeal", "cranial",
     "nerve", "ganglion", "nucleus", "complex", "lamina", "phase", "zone", "costa", "toe",
     "finger", "metatarsal", "metacarpal", "tarsale", "carpale", "phalanx", "collagen"}
)  # fmt: skip
_BARE_NUMBER = re.compile(r"\d+")
#: a Roman numeral counts cells' clusters only after a word for cells ("Fibroblast II",
#: "(macrophage I)"), also when a bracket comes between ("Endothelial cell (vascular) II")
#: or it ends a bracket after one ("Epithelial cell (basal II)"); elsewhere it names a
#: subtype ("mucopolysaccharidosis II", "cell (alveolar type II)")
_ROMAN = re.compile(r"[IVX]+")
#: a step of a clinical scale, in Arabic or Roman numerals (a name may write either)
_SCALE_STEP = re.compile(r"(stage|grade|class)\s*(I{1,3}V?|IV|VI?|[0-6])([A-C]?)", re.IGNORECASE)
_ROMAN_OF = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V", "6": "VI"}
_ARABIC_OF = {roman: arabic for arabic, roman in _ROMAN_OF.items()}
#: a side written as one capital letter, and the word a name says it with
_SIDE_LETTERS = {"R": "right", "L": "left"}
_CELL_ENDINGS = r"(?:cells?|cytes?|blasts?|phages?|glia)"
_CELLS_BEFORE = re.compile(rf"{_CELL_ENDINGS}(?:\s*\([^()]*\))?[\s,_]*$", re.IGNORECASE)
_CELLS_OPEN = re.compile(rf"{_CELL_ENDINGS}\s*\([^()]*$", re.IGNORECASE)
_CELLS = re.compile(rf"{_CELL_ENDINGS}\b", re.IGNORECASE)
#: a count glued to the end of a word of five letters or more, as clusters are named
#: ("Basal1", "Ciliated2"); shorter stems are names (gene symbols "Sox10", "Gata4",
#: "Th17", "AT2"; "cDC1" below)
_GLUED_COUNT = re.compile(r"(?<=[A-Za-z][a-z]{4})(\d{1,2})$")
#: a count glued to a short form of the shorthand list that is not one itself ("cDC1",
#: "cDC2", "cDC1s": conventional dendritic cells, subsets counted); "Th17", "AT2" are
#: short forms
_SHORT_COUNT = re.compile(r"(?<![\w.-])([^\W\d_]{2,5})(\d{1,2})s?(?=$|[\s_,])")
#: a count after an underscore at the end, as clusters are named ("DC_1", "B cells_2")
_CLUSTER_COUNT = re.compile(r"_\s*\d{1,2}\s*$")
#: a cluster's index before its label, joined by "." or "_" ("3.CD4 naive", "0_B cells")
_LEADING_INDEX = re.compile(r"^\s*\d{1,2}[._](?=[A-Za-z])")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[\s,]*$")
_WORD_AFTER = re.compile(r"^\s+[^\W\d_]")
_JOINER_WORDS = r"(?:of|from|in|the|and|with|without|excluding|including|containing)"
# one character or one word per step (no nested repeats: linear, never backtracking)
_JOINERS = re.compile(
    rf"^(?:[^\w(]|{_JOINER_WORDS}\b)+|(?:[^\w)]|\b{_JOINER_WORDS})+$", re.IGNORECASE
)
_EMPTY_BRACKETS = re.compile(r"[\(\[\{][^\w\)\]\}]*[\)\]\}]")


@dataclass(frozen=True, slots=True)
class Qualifier:
    """One qualifier as written, its kind, and (species) the NCBITaxon CURIE it names."""

    text: str
    kind: QualifierKind
    taxon: str | None = None

    def describe(self) -> str:
        return f"{self.text!r} ({self.kind})"

    @property
    def names_disease(self) -> bool:
        """Is this a state that names a disease ("tumour", "malignant"), never "normal"?"""
        return self.kind == "state" and DISEASE_STATE.fullmatch(self.text) is not None

    @property
    def says_normal(self) -> bool:
        """Is this a state that says no disease was found ("healthy", "control")?"""
        return self.kind == "state" and NORMAL_STATE.fullmatch(self.text) is not None

    def renumbered(self) -> str | None:
        """A clinical scale's step in the other numerals ("grade 2" -> "grade II", "class
        IV" -> "class 4"), as a name may write it; None for any other qualifier."""
        found = _SCALE_STEP.fullmatch(self.text) if self.kind == "state" else None
        if found is None:
            return None
        word, step, suffix = found.groups()
        other = _ROMAN_OF.get(step.upper()) or _ARABIC_OF.get(step.upper())
        return f"{word} {other}{suffix}" if other else None

    def written(self) -> str:
        """The qualifier as a name would say it: a side's letter in full ("R" -> "right")."""
        if self.kind == "side":
            return _SIDE_LETTERS.get(self.text.rstrip("."), self.text)
        return self.text


@dataclass(frozen=True, slots=True)
class Split:
    """A value read as a head plus qualifiers (with where each qualifier was written)."""

    value: str
    spans: tuple[tuple[int, int], ...]
    qualifiers: tuple[Qualifier, ...]

    @property
    def taxon(self) -> str | None:
        return next((q.taxon for q in self.qualifiers if q.taxon), None)

    @property
    def head(self) -> str:
        """The value with every qualifier removed ("" when it is only qualifiers)."""
        return self.without(KINDS)

    @functools.lru_cache(maxsize=2048)  # noqa: B019 (small, frozen, asked several times)
    def without(self, kinds: Iterable[QualifierKind], keep: tuple[Qualifier, ...] = ()) -> str:
        """The value with the qualifiers of ``kinds`` (but those in ``keep``) removed,
        cleaned of dangling words."""
        drop = set(kinds)
        parts: list[str] = []
        last = 0
        for (start, end), qualifier in zip(self.spans, self.qualifiers, strict=True):
            parts.append(self.value[last:start])
            dropped = qualifier.kind in drop and qualifier not in keep
            parts.append(" " if dropped else qualifier.written())
            last = end
        parts.append(self.value[last:])
        return _clean("".join(parts))

    def rewritten(self, qualifier: Qualifier, text: str) -> str:
        """The value with ``qualifier`` written as ``text`` (the rest as written)."""
        start, end = self.spans[self.qualifiers.index(qualifier)]
        return _clean(f"{self.value[:start]}{text}{self.value[end:]}")

    def spelt(self, aside: tuple[Qualifier, ...]) -> str:
        """The qualifiers kept (not in ``aside``) that a name writes otherwise, as "'R' =
        'right'"; "" when none."""
        return ", ".join(
            f"{q.text!r} = {q.written()!r}"
            for q in self.qualifiers
            if q not in aside and q.written() != q.text
        )

    def marked_text(self) -> str:
        """The value with what no term names set aside but its markers kept ("CD4 Naive_2"
        -> "CD4 Naive"); "" without a marker."""
        if not any(q.kind == "marker" for q in self.qualifiers):
            return ""
        return self.without(_UNMARKED)

    def specific(self) -> list[tuple[str, tuple[Qualifier, ...]]]:
        """Texts between the value and its head with the qualifiers they set aside: what
        no term names removed (species, state, sampling, counts; then markers too), the
        side and life stage kept ("Lt lung biopsy 17" -> "Lt lung"); none that is the
        value or the head."""
        out: list[tuple[str, tuple[Qualifier, ...]]] = []
        seen = {"", self.value, self.head}
        # a state that is the disease itself is kept first ("breast cancer stage II":
        # "breast cancer", the stage set aside); a tissue's names have no such word
        named = tuple(q for q in self.qualifiers if q.names_disease)
        for kinds in (_NEVER_NAMED, frozenset(KINDS)) if named else ():
            text = self.without(kinds, named)  # (then without its side: "tumour, left")
            if text not in seen:
                seen.add(text)
                aside = tuple(q for q in self.qualifiers if q.kind in kinds)
                out.append((text, tuple(q for q in aside if q not in named)))
        # markers first kept: CL names cell types by them ("CD14 monocytes 2")
        marked = any(q.kind == "marker" for q in self.qualifiers)
        for kinds in (_UNMARKED, _NEVER_NAMED) if marked else (_NEVER_NAMED,):
            text = self.without(kinds)
            if named and not self.head:
                continue  # the disease's states kept, a side alone is none ("tumour, left")
            if text not in seen:
                seen.add(text)
                out.append((text, tuple(q for q in self.qualifiers if q.kind in kinds)))
        return out


def _clean(text: str) -> str:
    text = _EMPTY_BRACKETS.sub(" ", text)
    text = re.sub(r"\s*([,;:/_-])\s*(?=[,;:/_-]|$)", " ", text)  # dangling punctuation
    # a separator left before a bracket ("Skin - (Lower leg)"; not a marker's sign "CD56-")
    text = re.sub(r"\s+[,;:/_-]\s*(?=\()", " ", text)
    text = text.lstrip("_ \t\n")
    text = " ".join(text.split())
    previous = None
    while previous != text:
        previous, text = text, _JOINERS.sub("", text).strip()
    return text


def _names_it(value: str, match: re.Match[str], disease: bool) -> bool:
    """A bare number that is part of the name: in a disease name ("... disorder 48"),
    before a word of the name ("5637 cell", "Hs 683 cell": a count or an ID trails, as in
    "lung 17"), or after a word that numbers subtypes and parts ("type 42", "Lumbar 4")."""
    if disease or _WORD_AFTER.search(value[match.end() :]):
        return True
    before = _WORD_BEFORE.search(value[: match.start()])
    return before is not None and before.group(1).casefold() in _NAMING_WORDS


def _counts_cells(value: str, match: re.Match[str]) -> bool:
    """Does the Roman numeral ``match`` count clusters of the cells ``value`` names?"""
    before = value[: match.start()]
    if _CELLS_BEFORE.search(before):
        return True  # "Fibroblast II", "Endothelial cell (vascular) II"
    if not _CELLS_OPEN.search(before) or not value[match.end() :].lstrip().startswith(")"):
        return False
    word = _WORD_BEFORE.search(before)  # "(basal II)", never "(alveolar type II)"
    return word is not None and word.group(1).casefold() not in _NAMING_WORDS


def ends_in_cluster_count(value: str) -> bool:
    """Does ``value`` end in a cluster's count after an underscore ("DC_1")? That number is
    no part of a name: never joined to the word before it ("DC1") nor moved into it ("B-1 B
    cell" for "B cells_1")."""
    return _CLUSTER_COUNT.search(value) is not None


def says_cells(text: str) -> bool:
    """Does ``text`` name cells ("B cells sorted", "hepatocytes", "microglia")?"""
    return _CELLS.search(text) is not None


def is_qualifier(word: str) -> bool:
    """Is ``word`` a qualifier by itself ("biopsy", "fetal", "left")?"""
    match = _PATTERN.fullmatch(word)
    return match is not None


@functools.lru_cache(maxsize=4096)  # asked for several times for one value
def species_taxon(value: str) -> str | None:
    """The NCBITaxon CURIE of the first species word of ``value`` (``murine liver``)."""
    match = _SPECIES.search(value)
    return SPECIES.get(" ".join(match.group(0).casefold().split())) if match else None


def _short_count(match: re.Match[str]) -> str:
    word = match.group(0)
    if is_shorthand(word) or not is_shorthand(match.group(1)):
        return word
    return f"{match.group(1)} {match.group(2)}"


@functools.lru_cache(maxsize=1024)  # the matcher asks several times for one value
def split_qualifiers(value: str) -> Split | None:
    """The head of ``value`` and its qualifiers; None when ``value`` has no qualifier.

    >>> s = split_qualifiers("adult heart")
    >>> s.head, [q.kind for q in s.qualifiers], s.specific()
    ('heart', ['life stage'], [])
    >>> [(t, [q.text for q in aside]) for t, aside in split_qualifiers("Lt lung bx 17").specific()]
    [('Lt lung', ['bx', '17'])]
    >>> split_qualifiers("normal adjacent tissue").head
    ''
    >>> split_qualifiers("Ciliated2").head, split_qualifiers("Gata4")
    ('Ciliated', None)
    >>> split_qualifiers("3.CD4 naive").head, split_qualifiers("HuH-7.5")
    ('naive', None)
    """
    value = _GLUED_COUNT.sub(r" \1", value)  # "Basal1", "Secretory2": a cluster's count
    value = _SHORT_COUNT.sub(_short_count, value)  # "cDC1": a subset's count
    spans: list[tuple[int, int]] = []
    found: list[Qualifier] = []
    leading = _LEADING_INDEX.match(value)  # "3.CD4 naive": a cluster's index
    if leading is not None:
        spans.append(leading.span())
        found.append(Qualifier(leading.group(0).strip(), "count", None))
    disease = says_disease(value.casefold())
    for match in _PATTERN.finditer(value):
        if leading is not None and match.start() < leading.end():
            continue
        kind: QualifierKind = next(k for k in KINDS if match.group(k.replace(" ", "_")) is not None)
        text = match.group(0)
        if kind == "count" and _BARE_NUMBER.fullmatch(text) and _names_it(value, match, disease):
            continue
        if kind == "count" and _ROMAN.fullmatch(text) and not _counts_cells(value, match):
            continue
        taxon = SPECIES.get(" ".join(text.casefold().split())) if kind == "species" else None
        spans.append((match.start(), match.end()))
        found.append(Qualifier(text, kind, taxon))
    if not found:
        return None
    return Split(value, tuple(spans), tuple(found))
