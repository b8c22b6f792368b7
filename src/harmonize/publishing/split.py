"""Split one converted file into one graph per dataset it holds.

A converted file may hold several datasets (``hmz:Dataset`` nodes, or nodes with an
access-level), each with its own access level. Every subject is assigned to the datasets
it belongs to: a dataset node to itself, a record pointing at a dataset (e.g.
``hmz:part_of_dataset``) to that dataset, and everything a record points at (its donor,
value codings, provenance nodes) to the record's datasets. A node shared by several
datasets is copied into each. Subjects reached from no dataset stay in a remainder graph
that is restricted whenever any dataset of the file is.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence

__all__ = ["assign_subjects"]


def assign_subjects(
    datasets: Sequence[str], edges: Mapping[str, set[str]]
) -> dict[str, frozenset[str]]:
    """``subject -> datasets`` from ``datasets`` (node keys) and ``edges`` (subject -> objects).

    Keys are term strings (``<iri>`` or ``_:b``). Propagation never passes through another
    dataset node.

    >>> edges = {"<s1>": {"<d1>", "<donor>"}, "<s2>": {"<d2>", "<donor>"}, "<donor>": {"<x>"},
    ...          "<d1>": set(), "<d2>": set(), "<x>": set(), "<lonely>": set()}
    >>> got = assign_subjects(["<d1>", "<d2>"], edges)
    >>> sorted(got["<donor>"]), sorted(got["<s1>"]), "<lonely>" in got
    (['<d1>', '<d2>'], ['<d1>'], False)
    """
    dataset_set = set(datasets)
    owners: dict[str, set[str]] = {d: {d} for d in datasets}
    for subject, objects in edges.items():
        if subject in dataset_set:
            continue
        hit = objects & dataset_set
        if hit:
            owners.setdefault(subject, set()).update(hit)
    queue = deque(owners)
    while queue:
        subject = queue.popleft()
        mine = owners[subject]
        for target in edges.get(subject, ()):
            if target in dataset_set or target not in edges:
                continue
            have = owners.setdefault(target, set())
            if not mine <= have:
                have.update(mine)
                queue.append(target)
    return {s: frozenset(o) for s, o in owners.items()}
