"""Reading an uploaded file as a header and a stream of rows, and refusing a
hostile one before any row is read.

CSV: UTF-8 (with or without BOM) or Latin-1 (Windows-1252), `,` `;` or tab
separated, read strictly (an unclosed quote is an error, not a swallowed file).
XLSX: openpyxl in read-only mode (rows streamed, never the whole sheet), after
checking the zip: no macros, no entry that expands beyond the bound. A workbook
is read from the sheet asked for, else from its first sheet."""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _

SNIFF_BYTES = 64 * 1024
# Cells longer than this are not data anyone exports; a stray quote swallows the file.
MAX_CELL = 100_000
MAGIC = {
    b"PK\x03\x04": "zip",
    b"\xd0\xcf\x11\xe0": "ole",  # legacy .xls / .doc
    b"%PDF": "pdf",
    b"MZ": "exe",
    b"\x7fELF": "exe",
    b"\x89PNG": "image",
    b"\xff\xd8\xff": "image",
    b"GIF8": "image",
}


class FileRefused(Exception):
    """The file as a whole cannot be read; nothing is written. `row` is set when
    reading stopped at a row (an unclosed quote)."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


class NoSuchSheet(FileRefused):
    """The workbook has no sheet of the name asked for."""


@dataclass
class Table:
    """A header and an iterator over the data rows (lists of cells, numbered
    from 2 as in a spreadsheet: row 1 is the header)."""

    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    format: str
    encoding: str = ""
    delimiter: str = ""
    estimated_rows: int = 0
    # A workbook's sheets, in order, and the one read.
    sheets: list[str] = field(default_factory=list)
    sheet: str = ""


def _magic(head: bytes) -> str:
    for prefix, kind in MAGIC.items():
        if head.startswith(prefix):
            return kind
    return "text"


# An absolute path (two or more segments) inside an error text: a problem shown
# to a user never names where the server keeps its files.
PATH = re.compile(r"""(?<![\w.])(?:[A-Za-z]:)?[\\/](?:[^\s'"\\/]+[\\/])+[^\s'"]*""")


def without_paths(text: object) -> str:
    """`text` (an exception, usually) with every server path replaced by its
    last part: "No such file: '…/deals.csv'"."""
    return PATH.sub(lambda m: "…/" + re.split(r"[\\/]", m.group(0))[-1], str(text))


def open_table(path: Path, name: str, sheet: str = "") -> Table:
    """Check `path` (uploaded as `name`) and open it as a table; raises FileRefused.
    A workbook is read from `sheet` (its name), else from its first sheet."""
    try:
        return _open_table(path, name, sheet)
    except OSError as exc:  # gone (purged), unreadable: the message never names the path
        raise FileRefused(_("The file can no longer be read; upload it again.")) from exc


def _open_table(path: Path, name: str, sheet: str) -> Table:
    size = path.stat().st_size
    if size > settings.IMPORT_MAX_BYTES:
        raise FileRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1_048_576, 1),
               "limit": round(settings.IMPORT_MAX_BYTES / 1_048_576)}
        )  # fmt: skip
    if size == 0:
        raise FileRefused(_("The file is empty."))
    suffix = Path(name).suffix.lower()
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    kind = _magic(head)
    if suffix in (".xlsm", ".xlsb", ".xltm"):
        raise FileRefused(_("Files with macros (%(ext)s) are refused; save it as .xlsx or .csv.")
                          % {"ext": suffix})  # fmt: skip
    if suffix == ".xls" or kind == "ole":
        raise FileRefused(_("Old Excel files (.xls) are not read; save it as .xlsx or .csv."))
    if suffix == ".xlsx":
        if kind != "zip":
            raise FileRefused(_("The file is named .xlsx but is not an Excel workbook."))
        return _open_xlsx(path, size, sheet)
    if suffix in (".csv", ".txt", ".tsv", ""):
        if kind != "text" or b"\x00" in head:
            raise FileRefused(
                _("The file is named %(ext)s but is not a text (CSV) file.")
                % {"ext": suffix or _("without an extension")}
            )
        return _open_csv(path, head, size)
    raise FileRefused(_("Upload a .csv or .xlsx file."))


def _encoding(path: Path, head: bytes) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else
    Windows-1252 (Latin-1 with the euro sign), which accepts any byte sequence."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _open_csv(path: Path, head: bytes, size: int) -> Table:
    encoding = _encoding(path, head)
    if encoding == "cp1252":
        # Bytes 0x81, 0x8d, 0x8f, 0x90, 0x9d are undefined in cp1252: read as Latin-1.
        encoding = "latin-1" if any(b in head for b in b"\x81\x8d\x8f\x90\x9d") else "cp1252"
    text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    delimiter = _delimiter(text.splitlines()[0] if text else "")
    fh: IO[str] = path.open("r", encoding=encoding, newline="")
    reader = csv.reader(fh, delimiter=delimiter, strict=True)
    csv.field_size_limit(MAX_CELL)
    try:
        header = next(reader)
    except StopIteration as exc:
        fh.close()
        raise FileRefused(_("The file is empty.")) from exc
    except csv.Error as exc:
        fh.close()
        raise FileRefused(_("The header row cannot be read: %(error)s")
                          % {"error": without_paths(exc)}) from exc  # fmt: skip
    header = [h.strip() for h in header]
    avg = max(1, len(head) // max(1, text.count("\n"))) if text.count("\n") > 1 else 100
    return Table(
        header=header, rows=_csv_rows(reader, fh), format="csv", encoding=encoding,
        delimiter=delimiter, estimated_rows=max(0, size // avg - 1),
    )  # fmt: skip


def _csv_rows(reader: Any, fh: IO[str]) -> Iterator[tuple[int, list[Any]]]:
    row_no = 1
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                # The reader stops at EOF inside quotes or at a runaway cell.
                raise FileRefused(
                    _("A quoted cell starting on row %(row)s is never closed (%(error)s).")
                    % {"row": row_no + 1, "error": without_paths(exc)},
                    row=row_no + 1,
                ) from exc
            row_no += 1
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue  # a blank line
            yield row_no, cells
    finally:
        fh.close()


def find_sheet(names: list[str], wanted: str) -> str:
    """The sheet `wanted` names (exactly, else ignoring case and outer spaces);
    raises NoSuchSheet naming the sheets there are."""
    if wanted in names:
        return wanted
    folded = {n.strip().casefold(): n for n in names}
    found = folded.get(wanted.strip().casefold())
    if found is None:
        raise NoSuchSheet(
            _("The workbook has no sheet called “%(sheet)s”; its sheets are: %(sheets)s.")
            % {"sheet": wanted, "sheets": ", ".join(f"“{n}”" for n in names)}
        )
    return found


def _open_xlsx(path: Path, size: int, wanted: str = "") -> Table:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise FileRefused(_("The file is named .xlsx but is not an Excel workbook.")) from exc
    with archive:
        names = archive.namelist()
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            raise FileRefused(_("The file is named .xlsx but is not an Excel workbook."))
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise FileRefused(_("The workbook contains macros; save it as .xlsx without them."))
        expanded = sum(info.file_size for info in archive.infolist())
        if expanded > settings.IMPORT_MAX_XLSX_EXPANDED or expanded > max(size, 1) * 200:
            raise FileRefused(
                _("The workbook expands to %(size)s MB, beyond what a real export does; refused.")
                % {"size": round(expanded / 1_048_576)}
            )
        for part in _shared_strings_parts(archive):
            _check_shared_strings(archive, part)
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise FileRefused(_("The workbook cannot be read: %(error)s")
                          % {"error": without_paths(exc)}) from exc  # fmt: skip
    names = [ws.title for ws in book.worksheets]  # chart sheets hold no rows
    try:
        name = find_sheet(names, wanted) if wanted else names[0]
    except NoSuchSheet:
        book.close()
        raise
    sheet = book[name]
    rows = sheet.iter_rows(values_only=True)
    try:
        first = next(rows)
    except StopIteration as exc:
        book.close()
        raise FileRefused(_("The file is empty.")) from exc
    header = ["" if v is None else str(v).strip() for v in first]
    while header and not header[-1]:
        header.pop()
    estimated = max(0, (sheet.max_row or 1) - 1)
    return Table(header=header, rows=_xlsx_rows(rows, book), format="xlsx",
                 estimated_rows=estimated, sheets=names, sheet=name)  # fmt: skip


SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _shared_strings_parts(archive: zipfile.ZipFile) -> list[str]:
    """The workbook's shared-strings parts: the usual name and any part that
    [Content_Types].xml declares as shared strings (openpyxl reads that one)."""
    names = {n.lower(): n for n in archive.namelist()}
    found = {names["xl/sharedstrings.xml"]} if "xl/sharedstrings.xml" in names else set()
    types = archive.getinfo("[Content_Types].xml")
    if types.file_size > 1_048_576:
        raise FileRefused(_("The workbook's list of parts is too large; refused."))
    for element in ElementTree.fromstring(archive.read(types)):
        if element.get("ContentType") == SHARED_STRINGS_TYPE:
            name = names.get((element.get("PartName") or "").lstrip("/").lower())
            if name:
                found.add(name)
    return sorted(found)


def _check_shared_strings(archive: zipfile.ZipFile, part: str) -> None:
    """openpyxl holds every shared string in memory while it reads a sheet:
    count them and their characters as they stream past (without keeping
    them) and refuse the workbook beyond the limits. A 5 MB file of long
    strings once took 400 MB of a worker's memory."""
    most, most_chars = settings.IMPORT_MAX_SHARED_STRINGS, settings.IMPORT_MAX_SHARED_CHARS
    count = chars = 0
    with archive.open(part) as stream:
        head = stream.read(4096)
    if b"<!doctype" in head.lower():
        raise FileRefused(_("The workbook declares its own entities; refused."))
    with archive.open(part) as stream:
        root = None
        try:
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):
                if root is None:
                    root = element
                elif event == "start":
                    continue
                elif element.tag == f"{MAIN}t":
                    chars += len(element.text or "")
                elif element.tag == f"{MAIN}si":
                    count += 1
                    root.clear()  # keep nothing of the strings already counted
                if count > most or chars > most_chars:
                    limits = {"count": f"{most:,}", "chars": f"{most_chars / 1_000_000:,.0f}"}
                    raise FileRefused(_(
                        "The workbook holds more than %(count)s distinct texts or %(chars)s "
                        "million characters of text, beyond what a real export does; refused."
                    ) % limits)  # fmt: skip
        except ElementTree.ParseError as exc:
            raise FileRefused(_("The workbook cannot be read: its texts are damaged.")) from exc


def _xlsx_rows(rows: Iterator[tuple[Any, ...]], book: Any) -> Iterator[tuple[int, list[Any]]]:
    try:
        for row_no, values in enumerate(rows, start=2):
            cells = list(values)
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                continue
            yield row_no, cells
    finally:
        book.close()
