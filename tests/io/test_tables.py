"""Partner tables in: sniffing, encodings, ragged rows, bad files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harmonize.errors import InputFileError
from harmonize.io import atomic_write_text, iter_rows, read_table, read_terms


def test_semicolon_cp1252_table(tmp_path: Path) -> None:
    path = tmp_path / "partner.csv"
    path.write_bytes(
        "Gender;tissue_src;Dx\nM;Leber bx;HCC\nF;Gewebe – Niere;N/A\n".encode("cp1252")
    )
    table = read_table(path)
    assert table.columns == ("Gender", "tissue_src", "Dx")
    assert table.column("tissue_src") == ["Leber bx", "Gewebe – Niere"]
    assert table.format.delimiter == ";"
    assert table.format.encoding == "cp1252"
    assert "semicolon" in table.format.describe()


def test_utf8_bom_tsv(tmp_path: Path) -> None:
    path = tmp_path / "partner.tsv"
    path.write_bytes("\ufeffSex\tAge (yrs)\nfemale\t34\n".encode())
    table = read_table(path)
    assert table.columns == ("Sex", "Age (yrs)")
    assert table.rows == (("female", "34"),)


def test_ragged_row_names_line(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("a,b\n1,2\n3,4,5\n")
    with pytest.raises(InputFileError, match="ragged") as info:
        read_table(path)
    assert f"{path}:3" in str(info.value)


def test_short_rows_are_padded_and_blank_lines_skipped(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("a,b,c\n1,2\n\n4,5,6\n")
    assert read_table(path).rows == (("1", "2", ""), ("4", "5", "6"))


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01\x02garbage\x00", "binary"), (b"   \n\n", "empty")],
)
def test_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=message):
        read_table(path)


def test_missing_file_and_unknown_column(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="not found"):
        read_table(tmp_path / "nope.csv")
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(InputFileError, match="no column named 'c'"):
        read_table(path).column("c")


def test_read_terms_text_and_column(tmp_path: Path) -> None:
    txt = tmp_path / "terms.txt"
    txt.write_text("liver bx\n\nHCC\n")
    assert read_terms(txt) == ["liver bx", "HCC"]
    csv_path = tmp_path / "terms.csv"
    csv_path.write_text("id,value\n1,liver\n2,\n3,kidney\n")
    assert read_terms(csv_path, column="value") == ["liver", "kidney"]
    assert read_terms(csv_path) == ["1", "2", "3"]


def test_xlsx_is_read(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Gender", "Age"])
    sheet.append(["M", 42])
    path = tmp_path / "partner.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.columns == ("Gender", "Age")
    assert table.rows == (("M", "42"),)
    assert table.format.kind == "xlsx"


def test_streaming_reads_header_first(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("a,b\n" + "".join(f"{i},{i * 2}\n" for i in range(1000)))
    rows = iter_rows(path)
    assert next(rows) == ["a", "b"]
    assert sum(1 for _ in rows) == 1000


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8),
            min_size=2,
            max_size=2,
        ),
        min_size=1,
        max_size=10,
    )
)
def test_round_trip_any_cells(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["left", "right"])
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("rt") / "t.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    table = read_table(path)
    expected = [tuple(c.strip() for c in r) for r in rows if any(c.strip() for c in r)]
    assert table.columns == ("left", "right")
    assert list(table.rows) == expected


def test_atomic_write_keeps_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    atomic_write_text(target, "old")
    from harmonize.io import atomic_write

    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half")
        raise RuntimeError("crash mid-write")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_survives_kill(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    atomic_write_text(target, "committed")
    code = (
        "import os, signal; from harmonize.io import atomic_write\n"
        f"with atomic_write({str(target)!r}) as fh:\n"
        "    fh.write('x' * 100000); fh.flush(); os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=False)
    assert target.read_text() == "committed"
