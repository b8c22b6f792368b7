"""The demo's run folder, with a privacy scan beside it, as the report reads it."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def review_demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from harmonize.demo.pipeline import run_demo
    from harmonize.privacy.report import write_report
    from harmonize.privacy.scan import scan_table
    from harmonize.report.inputs import PRIVACY_REPORT

    folder = tmp_path_factory.mktemp("report-demo")
    result = run_demo(folder, say=lambda _line: None)
    write_report(scan_table(result.table), folder / PRIVACY_REPORT)
    return result
