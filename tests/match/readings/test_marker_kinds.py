"""Markers set aside that name a kind of the term found (``marker_kinds.py``), on the CL
that harmonize ships."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmonize.match.values.ground import AUTO_ACCEPT
from harmonize.match.values.markers import signed_marker
from harmonize.match.values.matcher import ValueMatcher

NAIVE_T = "CL:0000898"  # naive T cell
NK = "CL:0000623"  # natural killer cell
TREG = "CL:0000815"  # regulatory T cell


def test_a_marker_as_cl_writes_it_in_a_name() -> None:
    assert signed_marker("CD56bright") == "CD56-bright"
    assert signed_marker("CD4") == "CD4-positive"  # a bare marker: positive, as labs read it
    assert signed_marker("CD45-") == "CD45-negative"
    assert signed_marker("CD27pos") == "CD27-positive"
    assert signed_marker("CD14lo") == "CD14-low"


@pytest.mark.parametrize(
    ("value", "kind", "broader"),
    [
        # naive thymus-derived CD4-positive, alpha-beta T cell, below "naive T cell"
        ("naive CD4 T", "CL:0000895", NAIVE_T),
        ("CD8 naive T cells", "CL:0000900", NAIVE_T),
        # CD16-negative, CD56-bright natural killer cell, human (its synonym says the marker)
        ("CD56bright NK cells", "CL:0000938", NK),
        # CD4-positive, CD25-positive, alpha-beta regulatory T cell, below "regulatory T cell"
        ("CD4 Tregs", "CL:0000792", TREG),
    ],
)
def test_the_kind_the_markers_name_comes_first(
    value: str, kind: str, broader: str, cl: ValueMatcher
) -> None:
    """The value's words named the broader term only with the markers set aside; the kind
    the markers name comes first, the broader term after it, neither auto-accepted."""
    found = cl.match(value, top_k=5).candidates
    ids = [c.id for c in found]
    assert ids[0] == kind and broader in ids[1:]
    assert "set aside from" in found[0].explain() and "names its kind" in found[0].explain()
    assert all(c.confidence < AUTO_ACCEPT for c in found)
    # its name may say more than the value ("CD25-positive"): a close match, never exact
    assert found[0].predicate == "skos:closeMatch"


def test_a_marker_no_close_kind_names_leaves_the_term_found(cl: ValueMatcher) -> None:
    """``B cells CD27pos``: the only kind of B cell saying "CD27-positive" near it is three
    steps down and says three more markers (a plasmablast); ``NK CD160+``: no name says
    CD160. The term found stays first, the marker said set aside."""
    for value, term in (("B cells CD27pos", "CL:0000236"), ("NK CD160+", NK)):
        best = cl.match(value).best
        assert best is not None and best.id == term, value
        assert "set aside" in best.explain() and "names its kind" not in best.explain()


def test_kinds_the_markers_do_not_tell_apart_come_after_the_term_found(
    cl: ValueMatcher,
) -> None:
    """``CD16 monocyte``: "CD14-low, CD16-positive" and "CD14-positive, CD16-positive"
    monocytes say CD16 with one other marker each: monocyte first, both after it."""
    found = cl.match("monocyte CD16", top_k=5).candidates
    ids = [c.id for c in found]
    assert ids[0] == "CL:0000576"
    assert {"CL:0002396", "CL:0002397"} <= set(ids[1:])


@given(st.text(max_size=40))
def test_signed_markers_never_fail(marker: str) -> None:
    assert isinstance(signed_marker(marker), str)


def test_a_kind_that_adds_a_state_is_not_the_markers_kind(cl: ValueMatcher) -> None:
    """``T cell, CD8``: the kind of T cell two steps down that says CD8-positive is the
    cycling one; its name adds a state the value does not say, so it is not offered as
    the markers' kind. (The comma's specialisation, read in CL's marker naming, names
    "CD8-positive, alpha-beta T cell" first.)"""
    found = cl.match("T cell, CD8", top_k=5).candidates
    assert found and found[0].id == "CL:0000625"  # CD8-positive, alpha-beta T cell
    assert all(
        "cycling" not in cl.index.label(c.id) for c in found if "names its kind" in c.explain()
    )
