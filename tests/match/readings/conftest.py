"""Matchers over the ontology files harmonize ships (CELLxGENE's UBERON, CL, MONDO, and
PATO from the manifest), built once per test session: the readings are tested on the
real files a user grounds against, not on hand-made miniatures."""

from __future__ import annotations

import warnings

import pytest

from harmonize.match.values.matcher import ValueMatcher
from harmonize.match.values.taxon import HUMAN
from harmonize.ontology.index import OntologyIndex

ANATOMY = "UBERON:0001062"  # anatomical entity
CELL = "CL:0000000"  # cell


def _load(*names: str) -> OntologyIndex:
    from harmonize.ontology.cache import load_index
    from harmonize.ontology.index import merge_indexes

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return merge_indexes([load_index(name) for name in names])


@pytest.fixture(scope="session")
def anatomy_index() -> OntologyIndex:
    return _load("UBERON", "CL")


@pytest.fixture(scope="session")
def uberon(anatomy_index: OntologyIndex) -> ValueMatcher:
    """A tissue slot (``--root UBERON:0001062``) of human data, top-k filled."""
    return ValueMatcher(anatomy_index, roots=[ANATOMY], taxon=HUMAN, fill=True)


@pytest.fixture(scope="session")
def cl(anatomy_index: OntologyIndex) -> ValueMatcher:
    """A cell-type slot (``--root CL:0000000``) of human data, top-k filled."""
    return ValueMatcher(anatomy_index, roots=[CELL], taxon=HUMAN, fill=True)


@pytest.fixture(scope="session")
def disease() -> ValueMatcher:
    """A disease slot: MONDO, with PATO for "normal" (as a steward would load them)."""
    return ValueMatcher(_load("MONDO", "PATO"), fill=True)
