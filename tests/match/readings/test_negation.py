"""Part 7: negation and uncertainty: ``no HCC`` is not HCC."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harmonize.confidence import AUTO_ACCEPT
from harmonize.match.values.matcher import ValueMatcher
from harmonize.match.values.negation import read_hedge

CUES = [
    ("no HCC", "negated"),
    ("not HCC", "negated"),
    ("negative for HCC", "negated"),
    ("HCC?", "uncertain"),
    ("?HCC", "uncertain"),
    ("suspected HCC", "uncertain"),
    ("r/o HCC", "uncertain"),
    ("HCC, possible", "uncertain"),
    ("history of HCC", "history"),
    ("h/o HCC", "history"),
    ("s/p HCC", "history"),  # status post: a past procedure or event
    ("status post HCC", "history"),
    # written after the finding, or "non-" before an abbreviation
    ("HCC ruled out", "negated"),
    ("HCC: no", "negated"),
    ("HCC - no", "negated"),
    ("HCC (negative)", "negated"),
    ("HCC-free", "negated"),
    ("non-HCC", "negated"),
    ("HCC (suspected)", "uncertain"),
]


@pytest.mark.parametrize(("value", "kind"), CUES)
def test_cues_are_read(value: str, kind: str) -> None:
    hedge = read_hedge(value)
    assert hedge is not None and hedge.kind == kind and hedge.rest == "HCC"


def test_plain_values_are_not_hedged() -> None:
    assert read_hedge("hepatocellular carcinoma") is None
    assert read_hedge("normal") is None and read_hedge("no") is None
    # names that begin with "non", a marker's sign, "free" inside a name
    for value in ("non-Hodgkin lymphoma", "non-classical monocyte", "CD45 negative",
                  "cell-free DNA", "free", "PDGFRA- fibroblasts"):  # fmt: skip
        assert read_hedge(value) is None, value


def test_absence_written_after_the_finding_offers_normal(disease: ValueMatcher) -> None:
    """``tumor-free``, ``HCC ruled out`` had met "freemartinism" (a word cut short) and
    "protruding out of" by similarity."""
    for value in ("tumor-free", "cancer-free", "HCC ruled out"):
        result = disease.match(value, top_k=5)
        assert result.candidates and result.candidates[0].id == "PATO:0000461", value
        assert result.note is not None and "negated" in result.note


@pytest.mark.parametrize(("value", "kind"), CUES)
def test_a_hedged_value_is_never_an_exact_or_accepted_match(
    value: str, kind: str, disease: ValueMatcher
) -> None:
    result = disease.match(value, top_k=5)
    assert result.note is not None and result.note.startswith("read as")
    assert result.candidates
    for c in result.candidates:
        assert c.predicate != "skos:exactMatch" and c.confidence < AUTO_ACCEPT, c
    ids = [c.id for c in result.candidates]
    assert "MONDO:0007256" in ids  # hepatocellular carcinoma, as a related term
    if kind == "negated":  # the slot's "nothing found" term comes first
        assert ids[0] == "PATO:0000461"  # normal


WORDS = st.sampled_from(
    ["HCC", "liver", "carcinoma", "asthma", "diabetes", "fibrosis", "of the", "x", "2"]
)
CUE = st.sampled_from(["no ", "not ", "suspected ", "history of ", "r/o ", "possible "])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cue=CUE, words=st.lists(WORDS, min_size=1, max_size=3), end=st.sampled_from(["", "?"]))
def test_no_negated_or_uncertain_value_is_ever_auto_accepted(
    cue: str, words: list[str], end: str, disease: ValueMatcher
) -> None:
    value = cue + " ".join(words) + end
    for c in disease.match(value, top_k=3).candidates:
        assert c.confidence < AUTO_ACCEPT and c.predicate != "skos:exactMatch", (value, c)


def test_a_negative_test_after_a_named_finding_is_its_absence(
    disease: ValueMatcher, cl: ValueMatcher
) -> None:
    """``HIV negative``, ``COVID-19 negative``: a negative test written after what was
    tested (had HIV infection and COVID-19 as matches), or after the agent tested for
    (``CMV negative``: no CMV infection); "normal" is offered, the finding only as related.
    After a marker (``CD4 negative``, ``HER2 neg``) it is the marker's sign: no negation
    read."""
    for value, finding in (("HIV negative", "MONDO:0005109"), ("COVID-19 neg", "MONDO:0100096")):
        result = disease.match(value, top_k=3)
        assert result.note is not None and "negated" in result.note, value
        best = result.best
        assert best is not None and best.label == "normal", (value, best and best.explain())
        assert all(
            c.predicate == "skos:relatedMatch" for c in result.candidates if c.id == finding
        ), value
    agent = disease.match("CMV negative", top_k=3)  # the agent tested for: its infection
    assert agent.note is not None and "'CMV infection'" in agent.note, agent.note
    assert agent.best is not None and agent.best.label == "normal"
    for marker in ("HER2 neg", "ER negative"):
        assert disease.match(marker).note is None, marker
    assert cl.match("CD4 negative").note is None
    assert read_hedge("HIV negative") is None  # (read only once the rest names a term)


def test_a_positive_test_after_a_named_finding_is_the_finding(
    disease: ValueMatcher, cl: ValueMatcher
) -> None:
    """``COVID-19 positive``, ``EBV positive``: the finding (or the infection by the agent
    tested for), the result set aside and said, a close match never auto-accepted (had
    COVID-19 as a broader match, 0.65, and EBV-positive lymphoma by similarity). After a
    marker the sign stays the marker's (``CD4 positive``: CD4-positive T cell)."""
    for value, expected in (
        ("COVID-19 positive", "MONDO:0100096"),  # COVID-19
        ("EBV positive", "MONDO:0005111"),  # Epstein-Barr virus infection
    ):
        best = disease.match(value).best
        assert best is not None and best.id == expected, (value, best and best.explain())
        assert "(a positive test) set aside" in best.explain(), value
        assert best.predicate == "skos:closeMatch" and best.confidence < AUTO_ACCEPT, value
    marker = cl.match("CD4 positive").best
    assert marker is not None and marker.id == "CL:0000624", marker  # CD4+ alpha-beta T cell
    assert "positive test" not in marker.explain()
