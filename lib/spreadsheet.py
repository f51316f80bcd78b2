"""Text cells written to a spreadsheet that the spreadsheet must never run (CSV / formula injection).

A cell that begins with = + - @ (or a tab or carriage return, which some programs skip before them)
is taken by Excel and WPS as a formula: a resident named `=HYPERLINK(...)` would become a link in
every exported copy of the registry. Such a cell is written with a leading apostrophe, the mark
spreadsheets themselves use for "this is text"; a cell that already begins with an apostrophe gets one
too, so that reading strips exactly one and every text comes back as it was written.
"""

# OWASP's list, and the full-width forms a Chinese input method types (Excel turns a typed ＝ into =; whether a
# file's ＝ is run too depends on the program, so they are escaped as well: it costs one character).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
TEXT_MARK = "'"


def escape_formula(text: str) -> str:
    """The cell to write for `text`."""
    if text.startswith(FORMULA_STARTS) or text.startswith(TEXT_MARK):
        return TEXT_MARK + text
    return text


def unescape_formula(cell: str) -> str:
    """The text a cell written by `escape_formula` stands for."""
    return cell[1:] if cell.startswith(TEXT_MARK) else cell
