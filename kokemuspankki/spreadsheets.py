"""What every CSV and XLSX export of the project does alike (bookings' payroll export, feedback results):
text a spreadsheet would run as a formula is kept as text, and XLSX gets only the characters it allows."""

import csv
import io

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    """Text that a spreadsheet would run as a formula, shown as text instead."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def xlsx_value(value):
    """A cell value as XLSX allows it: control characters (a vertical tab pasted into a title) are not
    allowed in the format at all."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as xlsx_illegal

    return xlsx_illegal.sub("", value) if isinstance(value, str) else value


def csv_bytes(rows: list[list]) -> bytes:
    """Rows as CSV the way Finnish Excel opens it: semicolons, RFC 4180 quoting, and a byte order mark
    that tells Excel the file is UTF-8 (without it ä, ö and å come out garbled)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
