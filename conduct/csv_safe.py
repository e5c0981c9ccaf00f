"""CSV lines that no spreadsheet will run: every CSV the product writes goes through here.

Names, references and notes come from people (and from staff files imported by the trust), so
any cell may hold `=HYPERLINK(...)` or a DDE command. Following OWASP's advice on CSV
injection, a cell that starts with a formula character (or its full-width form, which some
spreadsheets read the same way) gets a leading apostrophe: the spreadsheet shows the text
as typed and runs nothing. Leading spaces and line breaks do not hide a formula either.
"""

import csv
from collections.abc import Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Characters a spreadsheet may skip before it looks for a formula.
SKIPPED = " \t\r\n\u00a0\u3000"


def neutralise(value) -> str:
    """The cell as text; a leading apostrophe keeps a formula-looking value inert."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) or text.lstrip(SKIPPED).startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    """csv.writer writes to this and gets the line back, so each row can be yielded as it is made."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable[Iterable], *, byte_order_mark: bool = False) -> Iterator[str]:
    """One line of CSV text per row, every cell neutralised; for a StreamingHttpResponse.

    `byte_order_mark` starts the first line with one, which tells spreadsheets the file is UTF-8.
    """
    writer = csv.writer(_Echo())
    prefix = "\ufeff" if byte_order_mark else ""
    for row in rows:
        yield prefix + writer.writerow([neutralise(cell) for cell in row])
        prefix = ""
