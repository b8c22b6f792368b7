"""An organ written as its adjective (``duodenal bx``): the noun the ontology writes in
its place, learned from the loaded file's own names."""

from __future__ import annotations

import pytest

from harmonize.confidence import AUTO_ACCEPT
from harmonize.match.values.matcher import ValueMatcher
from harmonize.match.values.organ_words import words_in_place
from harmonize.ontology.index import OntologyIndex
from harmonize.ontology.model import OntologyMeta, Synonym, Term


def _index(pairs: int) -> OntologyIndex:
    """``pairs`` terms named both "duodenal X" and "duodenum X", and the duodenum."""
    terms = [Term("U:0", "duodenum"), Term("U:9", "duodenal papilla")]
    for i, part in enumerate(["gland", "epithelium", "mucosa", "lumen", "wall"][:pairs], 1):
        terms.append(
            Term(f"U:{i}", f"duodenal {part}", synonyms=(Synonym(f"duodenum {part}", "EXACT"),))
        )
    return OntologyIndex(meta=OntologyMeta(name="t"), terms={t.id: t for t in terms})


def _of_index(pairs: int) -> OntologyIndex:
    """``pairs`` terms named both "nasal X" and "X of the nose", and the nose."""
    terms = [Term("U:0", "nose")]
    for i, part in enumerate(["bone", "septum", "cartilage", "vestibule"][:pairs], 1):
        terms.append(
            Term(f"U:{i}", f"nasal {part}", synonyms=(Synonym(f"{part} of the nose", "EXACT"),))
        )
    return OntologyIndex(meta=OntologyMeta(name="t"), terms={t.id: t for t in terms})


def test_the_noun_after_of_is_a_word_in_place() -> None:
    matcher = ValueMatcher(_of_index(3))
    assert words_in_place(matcher.table, matcher.index, "nasal") == ["nose"]
    best = matcher.match("nasal swab").best
    assert best is not None and best.id == "U:0" and "in place of 'nose'" in best.explain()
    fewer = ValueMatcher(_of_index(2))
    assert words_in_place(fewer.table, fewer.index, "nasal") == []


def test_the_word_in_place_is_learned_from_enough_terms() -> None:
    matcher = ValueMatcher(_index(3))
    assert words_in_place(matcher.table, matcher.index, "duodenal") == ["duodenum"]
    best = matcher.match("duodenal bx").best
    assert best is not None and best.id == "U:0"
    assert "read as the organ it names" in best.explain() and best.confidence < AUTO_ACCEPT
    # two terms so named are chance wording: no pair (the adjective's ending still reads
    # it: "duodenal" is formed from "duodenum", said so)
    fewer = ValueMatcher(_index(2))
    assert words_in_place(fewer.table, fewer.index, "duodenal") == []
    found = fewer.match("duodenal bx").best
    assert found is None or "the ontology writes" not in found.explain()
    assert found is not None and "'duodenal' is formed from 'duodenum'" in found.explain()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("duodenal bx", "UBERON:0002114"),  # duodenum (was "duodenal gland")
        ("esophageal", "UBERON:0001043"),  # esophagus (was "submucosal esophageal gland")
        ("colonic biopsy", "UBERON:0001155"),  # colon
        ("splenic", "UBERON:0002106"),  # spleen
        # the adjective before what one name says, "of" the noun in another ("nasal bone" /
        # "bone of nose"): UBERON writes no "nose X" beside "nasal X"
        ("nasal swab", "UBERON:0000004"),  # nose (was "nasalis muscle", a word cut short)
        ("uterine", "UBERON:0000995"),  # uterus (was "fallopian tube")
        ("renal bx", "UBERON:0002113"),  # kidney: the word of most terms, not the ureter
        # of "renal pelvis" / "pelvis of ureter"
    ],
)
def test_an_organ_adjective_names_the_organ(
    value: str, expected: str, uberon: ValueMatcher
) -> None:
    best = uberon.match(value).best
    assert best is not None and best.id == expected
    assert "read as the organ it names" in best.explain() and best.confidence < AUTO_ACCEPT


def test_a_bracket_after_an_organ_adjective_is_said_not_dropped(uberon: ValueMatcher) -> None:
    """``duodenal (proximal)``: the organ, a close match saying the bracket was set aside
    (before, an exact match with the bracket dropped silently); a side adds nothing."""
    best = uberon.match("duodenal (proximal)").best
    assert best is not None and best.id == "UBERON:0002114", best
    assert best.predicate == "skos:closeMatch" and "bracket 'proximal' set aside" in best.explain()
    sided = uberon.match("nasal (left)").best
    assert sided is not None and sided.predicate == "skos:exactMatch", sided


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("pleural biopsy", "UBERON:0000977"),  # pleura (had "pleural sac", 0.18)
        ("nasopharyngeal swab", "UBERON:0001728"),  # nasopharynx (had "nasopharyngeal gland")
        ("omental biopsy", "UBERON:0003688"),  # omentum (had "epiploic foramen")
        ("tonsillar biopsy", "UBERON:0002372"),  # tonsil: the label, not "tonsilla" (a synonym)
        ("testicular tissue", "UBERON:0000473"),  # testis ("testicle", -le -> -ular): had a vein
    ],
)
def test_an_adjective_the_file_pairs_with_no_word_is_read_by_its_ending(
    value: str, expected: str, uberon: ValueMatcher
) -> None:
    """When the loaded file pairs no noun with an organ's adjective, the noun it is formed
    from by anatomy's Latin endings (pleural -> pleura, omental -> omentum, -ngeal -> -nx)
    is offered if it names an in-branch term; a label before a synonym. A qualifier the
    file writes in an adjective's place is never the organ ("dorsal": not "adult")."""
    best = uberon.match(value).best
    assert best is not None and best.id == expected, (value, best and best.explain())
    assert "is formed from" in best.explain() and best.confidence < AUTO_ACCEPT
    dorsal = uberon.match("dorsal biopsy").best
    assert dorsal is None or dorsal.id != "UBERON:0007023"  # adult organism


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("gastric antrum", "UBERON:0001165"),  # "antrum of stomach" (had pyloric antrum fuzzy)
        ("gastric antrum biopsy", "UBERON:0001165"),  # the sampling set aside first
        ("thymic medulla", "UBERON:0002124"),  # medulla of thymus
    ],
)
def test_an_organ_adjective_before_a_part_names_the_part_of_the_organ(
    value: str, expected: str, uberon: ValueMatcher
) -> None:
    """``gastric antrum``: no name says it, but "antrum of stomach" does with the noun the
    ontology writes in the adjective's place; offered as a reading, never auto-accepted."""
    best = uberon.match(value).best
    assert best is not None and best.id == expected, (value, best and best.explain())
    assert "read as the organ it names" in best.explain() and best.confidence < AUTO_ACCEPT


def test_a_part_is_read_only_with_the_organ_noun_in_place() -> None:
    """``duodenal wall``: no name says it; "wall of duodenum" does with the noun three
    terms write in the adjective's place. ``duodenal crypt``: no name says the part with
    the noun either, so nothing is offered by this reading."""
    terms = _index(3).terms | {"U:7": Term("U:7", "wall of duodenum")}
    matcher = ValueMatcher(OntologyIndex(meta=OntologyMeta(name="t"), terms=terms))
    best = matcher.match("duodenal wall").best
    assert best is not None and best.id == "U:7", best
    assert "read as the organ it names, 'duodenum'" in best.explain()
    crypt = matcher.match("duodenal crypt").candidates
    assert all("read as the organ it names" not in c.explain() for c in crypt)


def test_a_word_in_place_that_names_no_organ_reads_no_part(cl: ValueMatcher) -> None:
    """CL writes "mature" in place of "activated" in several names; "mature" names no
    term, so ``Activated T cells`` is not read as "mature T cell" (an exact match at 0.9
    before this guard)."""
    for candidate in cl.match("Activated T cells").candidates:
        assert "read as the organ it names" not in candidate.explain(), candidate
