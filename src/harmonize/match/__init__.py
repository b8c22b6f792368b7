"""Matching: local values -> ontology terms (``ValueMatcher``, ``ground``), columns -> slots.

Value grounding API::

    from harmonize.match import ground, results_to_mapping_set
    results = ground(["liver bx", "HCC"], ["UBERON.json.zst", "MONDO.json.zst"])
    results[0].candidates[0].id, results[0].candidates[0].confidence
"""

from harmonize.match.values.candidate import Candidate, Evidence, MatchResult
from harmonize.match.values.ground import AUTO_ACCEPT, ground, results_to_mapping_set
from harmonize.match.values.matcher import ValueMatcher

__all__ = [
    "AUTO_ACCEPT",
    "Candidate",
    "Evidence",
    "MatchResult",
    "ValueMatcher",
    "ground",
    "results_to_mapping_set",
]
