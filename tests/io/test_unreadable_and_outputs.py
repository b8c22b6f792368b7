"""Issue 15, classes 2-4: a BOM-only CSV, an empty sheet, unreadable inputs, bad outputs."""

from __future__ import annotations

import pathlib
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.io.conftest import DATA, CliResult, hostile, one_line_error

from harmonize.errors import OutputFileError
from harmonize.io import atomic_write_text, check_output_path

ONTOLOGY = DATA / "grounding/hp-mini.obo"


@pytest.mark.parametrize("maker", ["bom_csv", "empty_xlsx"])
def test_header_less_tables(tmp_path: Path, cli: Callable[..., CliResult], maker: str) -> None:
    name, content = hostile(maker)
    table = tmp_path / name
    table.write_bytes(content)
    for args in (
        ("privacy", "scan", table),
        ("ground", table, "--ontology", ONTOLOGY, "-o", tmp_path / "g.tsv"),
        ("match-columns", table, "--schema", DATA / "schema/tiny.yaml", "-o", tmp_path / "c.tsv"),
    ):
        code, _, err = cli(*args)
        assert code == 2, args
        one_line_error(err, name)
    assert not (tmp_path / "g.tsv").exists()


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make opening one path raise PermissionError (as chmod 000 does for a non-root user)."""
    original = pathlib.Path.open

    def deny(path: Path) -> None:
        def guarded(self: Path, *args: object, **kwargs: object) -> object:
            if self.resolve() == path.resolve():
                raise PermissionError(13, "Permission denied", str(self))
            return original(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(pathlib.Path, "open", guarded)

    return deny


def test_unreadable_table(
    tmp_path: Path, cli: Callable[..., CliResult], unreadable: Callable[[Path], None]
) -> None:
    table = tmp_path / "t.csv"
    table.write_text("a,b\n1,2\n")
    unreadable(table)
    code, _, err = cli("privacy", "scan", table)
    assert code == 2
    one_line_error(err, "t.csv", "permission denied")


def test_unreadable_sssom_and_checksum(
    tmp_path: Path, cli: Callable[..., CliResult], unreadable: Callable[[Path], None]
) -> None:
    sssom = tmp_path / "m.sssom.tsv"
    sssom.write_bytes((DATA / "convert/values.sssom.tsv").read_bytes())
    onto = tmp_path / "o.obo"
    onto.write_bytes(ONTOLOGY.read_bytes())
    unreadable(sssom)
    code, _, err = cli("review", "--import", sssom, "--ledger", tmp_path / "l.sqlite")
    assert code == 2
    one_line_error(err, "m.sssom.tsv", "permission denied")
    unreadable(onto)  # io/checksum.py and the ontology reader
    code, _, err = cli("ontology", "info", onto, "--no-cache")
    assert code == 2
    one_line_error(err, "o.obo", "permission denied")


def test_sssom_path_is_a_folder(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    folder = tmp_path / "set.sssom.tsv"
    folder.mkdir()
    code, _, err = cli("review", "--import", folder, "--ledger", tmp_path / "l.sqlite")
    assert code == 2
    one_line_error(err, "set.sssom.tsv", "is a folder")


def _bad_outputs(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "folder").mkdir()
    (tmp_path / "afile").write_text("x")
    return {"folder": tmp_path / "folder", "parent is a file": tmp_path / "afile" / "out.tsv"}


@pytest.mark.parametrize("case", ["folder", "parent is a file"])
def test_bad_output_paths(tmp_path: Path, cli: Callable[..., CliResult], case: str) -> None:
    out = _bad_outputs(tmp_path)[case]
    partner = DATA / "privacy/partner.csv"
    commands = [
        ("privacy", "scan", partner, "-o", out),
        ("privacy", "apply", partner, "--policy", DATA / "privacy/privacy-policy.yaml", "-o", out),
        ("match-columns", DATA / "columns/partner.csv", "--schema", DATA / "schema/tiny.yaml",
         "-o", out),
        ("schema", "import-gdc", DATA / "columns/gdc_dictionary_small.json", "-o", out),
        ("ontology", "add", "UO", ONTOLOGY, "--manifest", out),
    ]  # fmt: skip
    for args in commands:
        code, _, err = cli(*args)
        assert code == 2, args
        one_line_error(err, str(out))


def test_review_export_into_a_file(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    ledger = tmp_path / "l.sqlite"
    code, _, err = cli("review", "--import", DATA / "convert/values.sssom.tsv", "--ledger", ledger)
    assert code == 0, err
    target = tmp_path / "afile"
    target.write_text("x")
    code, _, err = cli("review", "--export", "--ledger", ledger, "--export-dir", target)
    assert code == 2
    one_line_error(err, "afile")


def test_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputFileError, match="permission denied"):
        atomic_write_text(tmp_path / "x.txt", "x")
    assert list(tmp_path.iterdir()) == []


def test_check_output_path(tmp_path: Path) -> None:
    assert check_output_path(tmp_path / "new" / "deeper" / "x.tsv").name == "x.tsv"
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputFileError, match="is a file, not a folder"):
        check_output_path(tmp_path / "f" / "x.tsv")
    with pytest.raises(OutputFileError, match="is a folder"):
        check_output_path(tmp_path)


def test_workbook_zip_python_cannot_read(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    data = bytearray((DATA / "io/partner.xlsx").read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 6 : central + 8] = (116).to_bytes(2, "little")  # "needs zip version 11.6"
    book = tmp_path / "odd.xlsx"
    book.write_bytes(bytes(data))
    code, _, err = cli("privacy", "scan", book)
    assert code == 2
    one_line_error(err, "odd.xlsx", "Excel workbook")
