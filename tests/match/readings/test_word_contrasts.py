"""Words that tell terms apart are never read in each other's place (``word_contrasts``)."""

from __future__ import annotations

from harmonize.match.values.context_terms import paired, word_pairs
from harmonize.match.values.index import NameTable
from harmonize.match.values.matcher import ValueMatcher
from harmonize.match.values.word_contrasts import contrasted


def _table(terms: dict[str, list[str]]) -> NameTable:
    """A name table of ``terms`` (id -> label, then exact synonyms)."""
    table = NameTable()
    for term_id, (label, *synonyms) in terms.items():
        pos = table.term_index(term_id, label)
        table.add(label, pos, "label", "LABEL")
        for text in synonyms:
            table.add(text, pos, "synonym", "EXACT")
    table.finish()
    return table


# three terms write "renal" for "kidney" (one word two ways); three sloppy synonyms write
# "malignant" for "benign", while four pairs of distinct terms differ only by them
_TERMS = {
    "X:1": ["kidney tubule", "renal tubule"],
    "X:2": ["kidney capsule", "renal capsule"],
    "X:3": ["kidney pelvis", "renal pelvis"],
    "X:4": ["benign lung tumor", "malignant lung tumor"],
    "X:5": ["benign skin tumor", "malignant skin tumor"],
    "X:6": ["benign bone tumor", "malignant bone tumor"],
    "X:7": ["benign liver tumor"],
    "X:8": ["malignant liver tumor"],
    "X:9": ["benign eye tumor"],
    "X:10": ["malignant eye tumor"],
    "X:11": ["benign ear tumor"],
    "X:12": ["malignant ear tumor"],
    "X:13": ["benign gut tumor"],
    "X:14": ["malignant gut tumor"],
}


def test_opposites_written_as_synonyms_are_a_contrast_not_a_pair() -> None:
    table = _table(_TERMS)
    pairs = word_pairs(table)  # both pairs are met in three terms' names ...
    assert "renal" in pairs["kidney"] and "malignant" in pairs["benign"]
    assert contrasted(table, "benign", "malignant")  # ... but these tell four terms apart
    assert contrasted(table, "malignant", "benign")  # (either order)
    assert not contrasted(table, "kidney", "renal")
    assert paired(table, "benign") == () and paired(table, "kidney") == ("renal",)


def test_a_word_the_names_do_not_have_is_no_contrast() -> None:
    table = _table(_TERMS)
    assert not contrasted(table, "benign", "harmless")
    assert not contrasted(table, "of", "the")


def test_the_shipped_anatomy_keeps_its_adjectives_and_drops_its_opposites(
    uberon: ValueMatcher,
) -> None:
    """On UBERON and CL as shipped: "renal" is still read for "kidney" (the tissue's own
    adjective), but the file's names also pair "finger" with "hand" and "nephron" with
    "kidney", words that name distinct terms more often than they rename one."""
    table = uberon.table
    assert "renal" in paired(table, "kidney") and "pulmonary" in paired(table, "lung")
    assert "nephron" in word_pairs(table)["kidney"] and "nephron" not in paired(table, "kidney")
    assert "hand" in word_pairs(table)["finger"] and "hand" not in paired(table, "finger")
