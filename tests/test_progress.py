"""Progress bars: on a terminal only, and never with a helper thread."""

from __future__ import annotations

import threading

import pytest

import harmonize.progress as progress_module


def test_plain_pass_through_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "progress_enabled", lambda: False)
    assert list(progress_module.progress(iter([1, 2, 3]), desc="x")) == [1, 2, 3]


def test_a_bar_starts_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    # tqdm's monitor thread would stop the value matcher from forking its workers
    monkeypatch.setattr(progress_module, "progress_enabled", lambda: True)
    before = threading.active_count()
    seen = []
    for item in progress_module.progress(range(3), desc="grounding", total=3):
        seen.append((item, threading.active_count()))
    assert seen == [(0, before), (1, before), (2, before)]


def test_a_byte_bar_while_parsing_an_ontology_starts_no_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tqdm import tqdm

    from harmonize.ontology.readers import pronto_reader

    monkeypatch.setattr(tqdm, "monitor_interval", 10)  # tqdm's default, whatever ran before
    monkeypatch.setattr(progress_module, "progress_enabled", lambda: True)
    monkeypatch.setattr(pronto_reader, "_BAR_MIN_BYTES", 0)  # every file gets a bar
    content = b"format-version: 1.2\nontology: x\n\n[Term]\nid: X:1\nname: one\n"
    pronto_reader._pronto(content, "x.obo")
    # (other tests' threads may come and go: look for tqdm's own)
    assert not [t for t in threading.enumerate() if t.name == "tqdm_monitor"]
