"""Excel workbooks in, within limits: no zip bomb, no dimension bomb, no hang.

Before openpyxl opens a workbook, its zip directory is checked: the parts may unpack to
at most ``ReadLimits.max_unpacked_bytes`` and ``max_ratio`` times their packed size.
Rows are then streamed without trusting the sheet's declared dimension (a single cell
at ``XFD1048576`` would otherwise pad every row to 16,384 cells and every sheet to a
million rows), each row only as wide as its last cell.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from harmonize.errors import HarmonizeError, InputFileError, excerpt
from harmonize.io.archives import check_unpacked
from harmonize.io.limits import DEFAULT_LIMITS, ReadLimits

__all__ = ["check_workbook", "xlsx_rows"]


def check_workbook(
    path: Path, *, limits: ReadLimits = DEFAULT_LIMITS, error: type[HarmonizeError] = InputFileError
) -> None:
    """Refuse a workbook that is not a readable zip or whose parts unpack past the limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise error(f"not a readable Excel workbook (.xlsx): {exc}", path=path) from None
    except (NotImplementedError, RuntimeError) as exc:  # zip features Python cannot read
        raise error(f"not a readable Excel workbook (.xlsx): {exc}", path=path) from None
    except OSError as exc:
        from harmonize.io.files import input_error

        raise input_error(exc, path, error) from None
    packed = sum(info.compress_size for info in infos)
    unpacked = sum(info.file_size for info in infos)
    check_unpacked(unpacked, packed, path=path, limits=limits, error=error, what="Excel workbook")


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def xlsx_rows(
    path: Path, *, limits: ReadLimits = DEFAULT_LIMITS, error: type[HarmonizeError] = InputFileError
) -> Iterator[list[str]]:
    """The rows of the first sheet as strings (empty cell = ``""``), header first."""
    check_workbook(path, limits=limits, error=error)
    import openpyxl  # lazy: heavy

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise error(f"cannot read Excel workbook: {excerpt(str(exc), 200)}", path=path) from None
    try:
        if not workbook.worksheets:
            raise error("the workbook has no sheet", path=path)
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # never pad rows to a declared (possibly huge) size
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > limits.max_sheet_rows:
                raise error(
                    f"the sheet has more than {limits.max_sheet_rows:,} rows "
                    "(ReadLimits.max_sheet_rows)",
                    path=path,
                    row=number,
                )
            if len(values) > limits.max_columns:
                raise error(
                    f"row has {len(values):,} cells, over the limit of {limits.max_columns:,} "
                    "columns (ReadLimits.max_columns)",
                    path=path,
                    row=number,
                )
            yield [_cell(v) for v in values]
    except HarmonizeError:
        raise
    except Exception as exc:
        raise error(f"cannot read Excel workbook: {excerpt(str(exc), 200)}", path=path) from None
    finally:
        workbook.close()
