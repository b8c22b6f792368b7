"""ValueMatcher on a small real HPO extract and on tiny hand-built (enum-like) indexes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmonize.confidence import AUTO_ACCEPT
from harmonize.errors import CurieError
from harmonize.match.values.candidate import MatchResult
from harmonize.match.values.interpret import READING_MAX_CONFIDENCE
from harmonize.match.values.matcher import ValueMatcher
from harmonize.ontology.cache import load_index
from harmonize.ontology.index import OntologyIndex
from harmonize.ontology.model import OntologyMeta, Synonym, Term

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "grounding" / "hp-mini.obo"


@pytest.fixture(scope="module")
def hp() -> OntologyIndex:
    return load_index(FIXTURE)


@pytest.fixture(scope="module")
def matcher(hp: OntologyIndex) -> ValueMatcher:
    return ValueMatcher(hp)


def _tiny(*terms: Term, name: str = "enum") -> OntologyIndex:
    return OntologyIndex(meta=OntologyMeta(name=name), terms={t.id: t for t in terms})


def test_exact_label_first_with_exact_match_predicate(matcher: ValueMatcher) -> None:
    result = matcher.match("Asthma")
    best = result.candidates[0]
    assert best.id == "HP:0002099"
    assert best.evidence.method == "exact"
    assert best.evidence.field == "label"
    assert best.predicate == "skos:exactMatch"
    assert best.confidence >= 0.9
    assert all(c.score <= best.score for c in result.candidates)


def test_exact_synonym_and_normalised_hits(matcher: ValueMatcher) -> None:
    best = matcher.match("vesico-ureteral reflux").candidates[0]
    assert best.id == "HP:0000076"
    assert best.evidence.scope == "EXACT"
    assert best.predicate == "skos:exactMatch"
    plural = matcher.match("recurrent urinary tract infection").candidates[0]
    assert plural.id == "HP:0000010"
    assert plural.evidence.method == "normalized"
    # the query needed no rewriting (the label was made singular): no steps, and the
    # explanation says it was a normalised, not an exact, match on the label
    assert plural.evidence.steps == ()
    assert plural.explain().startswith("normalized match on label")


def test_exact_hits_rank_above_fuzzy(matcher: ValueMatcher) -> None:
    result = matcher.match("Hypertension", top_k=5)
    assert result.candidates[0].id == "HP:0000822"
    assert result.candidates[0].evidence.method == "exact"
    later = [c.evidence.method for c in result.candidates[1:]]
    assert "exact" not in later


def test_abbreviation_learned_from_typed_synonym(matcher: ValueMatcher) -> None:
    for query, expected in (("VUR", "HP:0000076"), ("ASD", "HP:0001631")):
        best = matcher.match(query).candidates[0]
        assert best.id == expected
        assert best.evidence.field == "abbreviation"
        assert best.evidence.matched_text == query


def test_initialism_of_label_is_a_weak_abbreviation() -> None:
    index = _tiny(
        Term("X:1", "type 2 diabetes mellitus"),
        Term("X:2", "type 1 diabetes mellitus"),
        Term("X:3", "liver"),
    )
    best = ValueMatcher(index).match("T2DM").candidates[0]
    assert best.id == "X:1"
    assert best.evidence.field == "abbreviation"
    assert best.predicate == "skos:closeMatch"  # an initialism is not an exact synonym
    assert best.note is not None and "initialism" in best.note
    # a reading of its own (a calibration column: such answers are seldom right), capped
    assert "read as the initials of the term's label (a guess)" in best.explain()
    assert best.confidence <= READING_MAX_CONFIDENCE["initialism"]
    own = _tiny(Term("X:1", "type 2 diabetes mellitus", synonyms=(Synonym("T2DM", "EXACT"),)))
    given = ValueMatcher(own).match("T2DM").candidates[0]  # the ontology's own name: no guess
    assert given.id == "X:1" and "initials" not in given.explain()


def test_typo_found_by_fuzzy_tier(matcher: ValueMatcher) -> None:
    best = matcher.match("astma").candidates[0]
    assert best.id == "HP:0002099"
    assert best.evidence.method == "fuzzy"
    assert best.predicate != "skos:exactMatch"
    assert best.confidence < matcher.match("Asthma").candidates[0].confidence


def test_swapped_letters_correct_to_the_common_word() -> None:
    """``kerationcyte``: two letters swapped is one slip, so "keratinocyte" (used by many
    names) is as close as "keratincyte", one name's own typo; the common word wins."""
    from harmonize.match.values.typos import correct_tokens

    index = _tiny(
        Term("X:1", "keratinocyte"),
        Term("X:2", "basal keratinocyte"),
        Term("X:3", "suprabasal keratinocyte"),
        Term("X:4", "epidermal cell", synonyms=(Synonym("keratincyte of epidermis", "EXACT"),)),
    )
    matcher = ValueMatcher(index)
    assert correct_tokens(matcher.table, ["kerationcyte"]) == {"kerationcyte": "keratinocyte"}
    assert correct_tokens(matcher.table, ["keratinocytte"]) == {"keratinocytte": "keratinocyte"}
    assert correct_tokens(matcher.table, ["kangaroo"]) == {}  # nothing close: no correction
    assert matcher.match("Kerationcyte").candidates[0].id == "X:1"


def test_swapped_letters_in_a_short_word_are_one_slip() -> None:
    """``osteoctye``: Levenshtein counts the swap as two edits (0.78 similar, under the
    cutoff); optimal string alignment counts it as one (0.89), so the word is corrected
    and the value meets its term, not a name that shares only "cell"."""
    from harmonize.match.values.typos import correct_tokens

    index = _tiny(
        Term("X:1", "osteocyte"),
        Term("X:2", "osteoblast"),
        Term("X:3", "stellate cell"),
    )
    matcher = ValueMatcher(index)
    assert correct_tokens(matcher.table, ["osteoctye"]) == {"osteoctye": "osteocyte"}
    assert correct_tokens(matcher.table, ["stelalte"]) == {"stelalte": "stellate"}
    assert correct_tokens(matcher.table, ["ostecoyt"]) == {}  # two slips in nine letters
    # one slip in five letters is 1 - 1/5 = 0.8, the cutoff itself (floating point made it
    # 0.7999...: "livr" was no typo of "liver")
    five = ValueMatcher(_tiny(Term("X:1", "liver"), Term("X:2", "lung")))
    assert correct_tokens(five.table, ["livr"]) == {"livr": "liver"}
    found = five.match("livr").best
    assert found is not None and found.id == "X:1" and found.confidence > 0.5, found
    assert matcher.match("Osteoctye").candidates[0].id == "X:1"


def test_words_written_together_are_read_apart() -> None:
    """``skeletalmuscle`` (a folder name's organ) is no word and no typo of one: read as
    "skeletal muscle", it meets the tissue (a fuzzy answer, never auto-accepted)."""
    from harmonize.match.values.typos import split_glued

    index = _tiny(
        Term("X:1", "skeletal muscle tissue"),
        Term("X:2", "muscle organ"),
        Term("X:3", "skeleton"),
        Term("X:4", "adrenal gland"),
        Term("X:5", "mucosa of esophagus"),
    )
    matcher = ValueMatcher(index)
    table = matcher.table
    assert split_glued(table, "skeletalmuscle") == ["skeletal", "muscle"]
    assert split_glued(table, "adultadrenalgland") is None  # "adult" is no word of these
    assert split_glued(table, "muscleorgan") == ["muscle", "organ"]
    assert split_glued(table, "skeletal") is None  # a word of its own
    assert split_glued(table, "organskeleton") is None  # words of names, but no name says both
    best = matcher.match("skeletalmuscle").best
    assert best is not None and best.id == "X:1" and best.confidence < AUTO_ACCEPT


_GLUED_TABLE = ValueMatcher(
    _tiny(*(Term(f"X:{i}", n) for i, n in enumerate(["bone", "marrow", "red bone", "one", "row"])))
).table


@given(st.text(alphabet="abcdemnorw", min_size=0, max_size=24))
def test_a_glued_split_reads_every_letter_with_known_words(word: str) -> None:
    from harmonize.match.values.typos import split_glued

    table = _GLUED_TABLE
    pieces = split_glued(table, word)
    if pieces is not None:
        assert "".join(pieces) == word and 2 <= len(pieces) <= 3
        assert all(len(p) >= 3 and p in table.idf for p in pieces)


def test_branch_restriction_never_leaks_and_reports_outside(
    hp: OntologyIndex, matcher: ValueMatcher
) -> None:
    respiratory = "HP:0002086"
    restricted = ValueMatcher(hp, roots=[respiratory])
    branch = hp.branch([respiratory])
    for query in ("Atrial septal defect", "ASD", "Asthma", "cough", "Hypertension"):
        result = restricted.match(query, top_k=10)
        assert all(c.id in branch for c in result.candidates), query
    result = restricted.match("Atrial septal defect")
    assert result.outside_branch is not None
    assert result.outside_branch.id == "HP:0001631"
    assert all(c.id != "HP:0001631" for c in result.candidates)
    inside = restricted.match("Asthma")
    assert inside.candidates[0].id == "HP:0002099"
    assert inside.outside_branch is None
    assert matcher.match("Atrial septal defect").outside_branch is None  # no roots, no branch


def test_unknown_root_is_an_error(hp: OntologyIndex) -> None:
    with pytest.raises(CurieError, match="HP:9999999"):
        ValueMatcher(hp, roots=["HP:9999999"])


def test_obsolete_term_is_never_final_replaced_by_followed(matcher: ValueMatcher) -> None:
    assert matcher.match("Clitoromegaly").candidates[0].id == "HP:0008665"
    for query in ("obsolete Clitoromegaly", "clitoromegaly", "Clitoromegally"):
        assert all(c.id != "HP:0000057" for c in matcher.match(query, top_k=10).candidates)


def test_obsolete_names_move_to_successor_with_a_note() -> None:
    index = _tiny(
        Term("X:1", "obsolete kidney stone", obsolete=True, replaced_by=("X:2",)),
        Term("X:2", "nephrolithiasis"),
        Term("X:3", "obsolete bone", obsolete=True, replaced_by=("Y:9",)),
    )
    m = ValueMatcher(index)
    best = m.match("kidney stones").candidates[0]
    assert best.id == "X:2"
    assert best.note is not None and "obsolete X:1" in best.note
    moved = m.match("bone").candidates[0]  # successor in an ontology that is not loaded
    assert moved.id == "Y:9"
    assert moved.note is not None and "not loaded" in moved.note
    assert ValueMatcher(index, roots=["X:2"]).match("bone").candidates == ()


def test_obsolete_without_replacement_flags_consider() -> None:
    index = _tiny(
        Term("X:1", "obsolete old disease", obsolete=True, consider=("X:2", "X:3")),
        Term("X:2", "new disease a"),
        Term("X:3", "new disease b"),
        Term("X:4", "obsolete gone", obsolete=True),
    )
    m = ValueMatcher(index)
    best = m.match("old disease").candidates[0]
    assert best.id == "X:2"
    assert best.note is not None and "consider X:2, X:3" in best.note
    assert m.match("gone").candidates == ()


def test_tiny_enum_index_with_curated_style_synonyms() -> None:
    index = _tiny(
        Term("enum:female", "female", synonyms=(Synonym("F", "EXACT"),)),
        Term("enum:male", "male", synonyms=(Synonym("M", "EXACT"),)),
        Term("enum:unknown", "unknown"),
    )
    m = ValueMatcher(index)
    results = m.match_many(["F", "Male", "unknwn", "F"], top_k=2)
    assert [r.candidates[0].id for r in results] == [
        "enum:female",
        "enum:male",
        "enum:unknown",
        "enum:female",
    ]
    assert results[0] is results[3]  # duplicates matched once
    assert len(results[1].candidates) <= 2


def test_candidates_are_well_formed(matcher: ValueMatcher) -> None:
    for query in ("Asthma", "heart septum defect", "urinary infections recurrent", "zzzz", ""):
        result = matcher.match(query, top_k=3)
        assert isinstance(result, MatchResult)
        assert len(result.candidates) <= 3
        ids = [c.id for c in result.candidates]
        assert len(ids) == len(set(ids))
        for cand in result.candidates:
            assert 0.0 <= cand.confidence <= 1.0
            assert 0.0 <= cand.score <= 1.0
            assert cand.evidence.method in {"exact", "normalized", "token", "fuzzy"}
            assert cand.explain()


def test_name_table_disk_cache_gives_identical_results(
    hp: OntologyIndex, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from harmonize.match.values import cache as value_cache

    monkeypatch.setenv("HARMONIZE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(value_cache, "_MIN_TERMS", 0)
    queries = ["Asthma", "VUR", "astma", "Clitoromegaly", "heart septum defect", "cough"]
    fresh = ValueMatcher(hp).match_many(queries, top_k=5)
    cached_files = list(tmp_path.glob("*.names.json"))
    assert len(cached_files) == 1
    again = ValueMatcher(hp)  # now read from the cache
    assert again.match_many(queries, top_k=5) == fresh
    cached_files[0].write_text("{not json", encoding="utf-8")  # damaged: rebuilt, not trusted
    assert ValueMatcher(hp).match_many(queries, top_k=5) == fresh


def test_bracket_dropped_name_is_a_weaker_step_not_an_exact_hit() -> None:
    # GDC uicc_clinical_m_enum / ajcc_clinical_m_enum: "cM0 (i+)" (isolated tumour cells)
    # is another value than cM0; dropping its qualifier must not make it "exact".
    pvs = ("cM0 (i+)", "M0", "M1", "M1a", "M1b", "M1c", "MX", "Unknown", "Not Reported")
    index = _tiny(*(Term(f"gdc:{i}", pv) for i, pv in enumerate(pvs)))
    result = ValueMatcher(index).match("cM0")
    dropped = next(c for c in result.candidates if c.id == "gdc:0")
    assert dropped.evidence.method == "bracketed"
    assert "brackets dropped from the name" in dropped.evidence.steps
    assert dropped.predicate == "skos:closeMatch"
    assert dropped.confidence < 0.5  # below the column matcher's retry point
    # with the unbracketed name present, it ranks first and the bracketed one far below
    both = _tiny(Term("gdc:a", "cM0 (i+)"), Term("gdc:b", "cM0"), Term("gdc:c", "M1"))
    ranked = ValueMatcher(both).match("cM0").candidates
    assert [c.id for c in ranked[:2]] == ["gdc:b", "gdc:a"]
    assert ranked[0].evidence.method == "exact"
    assert ranked[1].evidence.method == "bracketed"
    assert ranked[1].confidence < ranked[0].confidence
    # the same qualifier on both sides is still a full hit
    same = ValueMatcher(both).match("CM0 (I+)").candidates[0]
    assert same.id == "gdc:a"
    assert same.evidence.method in {"exact", "normalized"}


def test_gdc_clinical_m_value_cm0_is_m0_not_isolated_tumour_cells() -> None:
    from harmonize.match.columns.cache import load_schema_cached
    from harmonize.match.columns.values import map_column_values

    gdc = load_schema_cached(Path(__file__).resolve().parents[2] / "schemas" / "gdc.yaml")
    slot = gdc.cls().slot("ajcc_clinical_m")
    assert slot is not None
    rows = map_column_values("M", ["cM0", "cM0 (i+)"], gdc, slot)
    best = {}
    for m in rows:
        best.setdefault(m.subject_label, m)
    assert best["cM0"].object_label == "M0"  # the retry without the "c" prefix
    assert best["cM0 (i+)"].object_label == "cM0 (i+)"
    # a value that is a permissible value's own text is the schema's curation
    assert best["cM0 (i+)"].confidence == 1.0 and "curated name" in (best["cM0 (i+)"].comment or "")


def test_bracket_kept_key_is_built_once_and_survives_the_disk_cache() -> None:
    from harmonize.match.values import cache as value_cache
    from harmonize.match.values.index import bracket_key

    index = _tiny(Term("gdc:a", "cM0 (i+)"), Term("gdc:b", "cM0"), Term("gdc:c", "M1"))
    table = ValueMatcher(index).table
    assert [bracket_key(t) for t in table.text] == table.bracket_key
    row = table.text.index("cM0 (i+)")
    assert table.bracket_key[row] is not None and table.bracket_key[row] != "cm0"
    assert table.bracket_key[table.text.index("cM0")] is None
    data = value_cache.table_to_dict(table)
    again = value_cache.table_from_dict(data)
    assert again.bracket_key == table.bracket_key
    with pytest.raises(ValueError):  # a cache of the previous layout is rebuilt
        value_cache.table_from_dict({**data, "version": value_cache.TABLE_VERSION - 1})
    with pytest.raises(ValueError):  # a cache missing rows of the key column is not trusted
        value_cache.table_from_dict({**data, "bracket_key": data["bracket_key"][:-1]})


def test_cached_table_shares_one_object_per_field_and_scope_word() -> None:
    # json gives every row its own copy of "label" / "EXACT": hundreds of thousands of
    # objects per large table, in every process that loads it
    import json

    from harmonize.match.values import cache as value_cache

    terms = [Term(f"X:{n}", f"name {n}", synonyms=(Synonym(f"other {n}", "EXACT"),))
             for n in range(50)]  # fmt: skip
    table = ValueMatcher(_tiny(*terms)).table
    again = value_cache.table_from_dict(json.loads(json.dumps(value_cache.table_to_dict(table))))
    assert again.field == table.field and again.scope == table.scope
    assert len({id(v) for v in again.field}) == len(set(again.field)) < 5
    assert len({id(v) for v in again.scope}) == len(set(again.scope))


_SEEDED_RUN = """
import hashlib, sys
from harmonize.match.values.index import build_name_table
from harmonize.ontology.cache import load_index
table = build_name_table(load_index(sys.argv[1]))
print(hashlib.sha256(table.name_weight.tobytes()).hexdigest())
"""


def test_name_weights_have_the_same_bits_whatever_the_hash_seed(tmp_path: Path) -> None:
    # near-tied fuzzy candidates are ordered by these weights: a sum in set order moved
    # ~40 of 100,000 results between two runs
    import os
    import subprocess
    import sys

    digests = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "HARMONIZE_CACHE_DIR": str(tmp_path)}
        out = subprocess.run(
            [sys.executable, "-c", _SEEDED_RUN, str(FIXTURE)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_words_written_apart_meet_the_compound() -> None:
    from harmonize.match.values.hits import JOINED_STEP

    index = _tiny(
        Term("X:1", "gastroesophageal reflux disease"),
        Term(
            "X:2",
            "gastroesophageal reflux",
            synonyms=(Synonym("Gastro-esophageal reflux", "EXACT"),),
        ),
        Term("X:3", "pace maker"),
    )
    m = ValueMatcher(index)
    best = m.match("Gastro oesophageal reflux disease").candidates[0]
    assert best.id == "X:1"
    assert best.evidence.method == "normalized"
    assert JOINED_STEP in best.evidence.steps
    assert best.predicate == "skos:exactMatch"
    assert m.match("pacemaker").candidates[0].id == "X:3"
    possessive = _tiny(
        Term("X:9", "anthracosis", synonyms=(Synonym("coal workers' pneumoconiosis", "EXACT"),))
    )
    assert ValueMatcher(possessive).match("Coalworker s pneumoconiosis").candidates[0].id == "X:9"


def test_obsolete_prefix_is_dropped_from_every_moved_name() -> None:
    index = _tiny(
        Term(
            "X:1",
            "obsolete_body height",
            synonyms=(Synonym("obsolete_stature", "EXACT"),),
            obsolete=True,
            replaced_by=("X:2",),
        ),
        Term("X:2", "height measurement"),
    )
    m = ValueMatcher(index)
    best = m.match("Stature").candidates[0]
    assert best.id == "X:2"
    assert best.evidence.matched_text == "stature"
    assert best.evidence.method == "exact"


def test_a_disease_is_not_its_organ() -> None:
    # token keys leave "disease"/"disorder" out; a hit that only matches without them is weak
    index = _tiny(Term("X:1", "cartilage"), Term("X:2", "cartilage disease"))
    result = ValueMatcher(index).match("Other disorders of cartilage")
    assert [c.id for c in result.candidates[:2]] == ["X:2", "X:1"]
    assert result.candidates[0].score > result.candidates[1].score


def test_one_word_alternative_swaps_a_word_of_the_other() -> None:
    from harmonize.match.values.hits import ALTERNATIVE_MAX_CONFIDENCE

    index = _tiny(
        Term("X:1", "knee"),
        Term("X:2", "knee fracture"),
        Term("X:3", "emphysema"),
        Term("X:4", "chronic bronchitis"),
        Term("X:5", "pulmonary embolism"),
        Term("X:6", "deep vein thrombosis", synonyms=(Synonym("DVT", "EXACT"),)),
        Term("X:7", "ear pain", synonyms=(Synonym("otalgia", "EXACT"),)),
    )
    m = ValueMatcher(index)
    swapped = m.match("fracture patella / knee")
    assert [c.id for c in swapped.candidates[:2]] == ["X:2", "X:1"]
    assert "alternative 'fracture knee'" in swapped.candidates[0].evidence.steps
    # no swapped reading names a term: every alternative counts, the first wins ties
    assert m.match("emphysema/chronic bronchitis").candidates[0].id == "X:3"
    assert m.match("pulmonary embolism +/- DVT").candidates[0].id == "X:5"
    assert m.match("Otalgia and effusion of ear").candidates[0].id == "X:7"
    # a hit on one alternative is never auto-accepted
    assert all(
        c.confidence <= ALTERNATIVE_MAX_CONFIDENCE
        for v in ("fracture patella / knee", "emphysema/chronic bronchitis")
        for c in m.match(v).candidates
    )


def test_a_british_spelling_is_the_same_name_as_the_american_label() -> None:
    # "Leukaemia" as another term's exact synonym must not outrank the label "leukemia"
    index = _tiny(
        Term("A:1", "leukemia"),
        Term("B:1", "Leukemia (finding)", synonyms=(Synonym("Leukaemia", "EXACT"),)),
    )
    result = ValueMatcher(index).match("leukaemia", top_k=2)
    assert [c.score for c in result.candidates] == [1.0, 1.0]
    assert result.candidates[0].id == "A:1"  # the equal tie goes to the ontology given first
    assert "spelling" in result.candidates[0].evidence.steps


def test_an_alternative_organ_does_not_answer_a_disease_title() -> None:
    index = _tiny(
        Term("X:1", "larynx"), Term("X:2", "vocal cord"), Term("X:3", "laryngeal disease")
    )
    m = ValueMatcher(index)
    organ = next(
        c for c in m.match("Diseases of vocal cords and larynx").candidates if c.id == "X:1"
    )
    plain = next(c for c in m.match("vocal cords and larynx").candidates if c.id == "X:1")
    assert organ.score < plain.score
