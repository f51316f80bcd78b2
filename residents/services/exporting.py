"""The residents file written: the export of a community's registry (CSV or XLSX) and the empty import template."""

import io
from collections.abc import Iterable

from org.models import Community

from ..resources import columns


def export_residents(*, community: Community, file_format: str) -> bytes:
    """The community's residents in the file format (csv: UTF-8 with BOM, so spreadsheet software reads it)."""
    from ..resources import ResidentResource

    dataset = ResidentResource(community=community).export()
    if file_format == "xlsx":
        return _workbook(dataset.headers, dataset)
    return ("\ufeff" + dataset.export("csv")).encode("utf-8")


def import_template() -> bytes:
    """The empty residents file offered on the import page: the header row alone, in the columns' order."""
    return _workbook(list(columns()), [])


SHEET_TITLE = "居民花名册"
# Columns whose digits a spreadsheet would turn into a number (an ID number loses its last digits, a phone number
# nothing yet, but a landline its leading 0): formatted as text (@), so that what a clerk types there stays text.
TEXT_COLUMNS = ("身份证号", "联系电话")


def _workbook(header: list[str], rows: Iterable) -> bytes:
    """One sheet named 居民花名册, the TEXT_COLUMNS formatted as text, the cells as the resource rendered them."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)  # streamed: a street-size community is 100,000 rows
    sheet = book.create_sheet(SHEET_TITLE)
    text = {i for i, name in enumerate(header) if name in TEXT_COLUMNS}
    for i in text:
        column = sheet.column_dimensions[get_column_letter(i + 1)]
        column.number_format, column.width = "@", 21

    def cell(i, value):
        if i not in text:
            return value or None
        written = WriteOnlyCell(sheet, value=value or None)
        written.number_format = "@"
        return written

    sheet.append(header)
    for row in rows:
        sheet.append([cell(i, value) for i, value in enumerate(row)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
