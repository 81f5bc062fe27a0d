"""Cell values as real exports write them: dates in three orders and as Excel
serials, amounts with decimal commas, thousands separators and currency signs,
stage words in English and Spanish, yes/no in many spellings, blanks.

A parser takes the raw cell (a string from a CSV, or a number / date from an
XLSX) and returns the value, None for a blank, or raises `Bad(reason)`. Column
state (which date order, which decimal mark) is decided from a sample of the
file and, failing that, from the organisation's language."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

EXCEL_EPOCH = dt.date(1899, 12, 30)
_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_TIME = r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.(\d{1,6}))?\s*(?:Z|[+-]\d{2}:?\d{2})?)?\s*$"
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})" + _TIME)
_SERIAL = re.compile(r"^\d{4,5}(\.\d+)?$")
# Dates with a month name, on the folded-case cell: "3 Mar 2024", "03-mar-2024",
# "3 de marzo de 2024", "March 3, 2024", "mar 3 2024" (see `words.month_words`).
_ORDINAL = r"(?:st|nd|rd|th|º|°)?"
_NAMED_DMY = re.compile(r"^(\d{1,2})" + _ORDINAL + r"[\s./-]*(?:de\s+)?([^\W\d_]+)\.?"
                        r"(?:[\s./-]+|,\s*)(?:del?\s+)?(\d{4}|\d{2})" + _TIME)  # fmt: skip
_NAMED_MDY = re.compile(r"^([^\W\d_]+)\.?[\s./-]*(\d{1,2})" + _ORDINAL +
                        r"(?:,?[\s./-]+|,)(\d{4}|\d{2})" + _TIME)  # fmt: skip
SYMBOLS = {"€": "EUR", "£": "GBP", "¥": "JPY", "R$": "BRL", "S/": "PEN", "US$": "USD",
           "U$S": "USD", "CHF": "CHF"}  # fmt: skip
DOLLAR_CURRENCIES = {"USD", "MXN", "ARS", "COP", "CLP", "CAD", "AUD"}


class Bad(Exception):
    """A cell that cannot be read; the message is the reason shown to the user."""

    def __init__(self, reason: str, suggestions: list[str] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.suggestions = suggestions or []


def fold(text: str) -> str:
    """Lower case, no accents, punctuation as spaces: 'Fecha_de Cierre' -> 'fecha de cierre'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return _NON_WORD.sub(" ", text).strip()


def name_key(text: str) -> str:
    """How names are matched: case and surrounding / repeated spaces do not count."""
    return _SPACES.sub(" ", text).strip().casefold()


def blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # an id typed as a number in Excel
    return unquote(_SPACES.sub(" ", str(raw)).strip())


def unquote(value: str) -> str:
    """Undo the apostrophe an export puts before text that looks like a formula."""
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


# Dates -----------------------------------------------------------------------


def date_order_evidence(raw: Any) -> str | None:
    """'dmy' or 'mdy' when this value can only be read one way."""
    if not isinstance(raw, str):
        return None
    m = _DMY.match(raw.strip())
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    if a > 12 >= b:
        return "dmy"
    if b > 12 >= a:
        return "mdy"
    return None


def _year(text_year: str) -> int:
    year = int(text_year)
    if len(text_year) == 2:
        year += 2000 if year < 70 else 1900
    return year


def parse_datetime(raw: Any, order: str) -> dt.datetime | None:
    """A naive datetime (midnight when the cell has only a date)."""
    if blank(raw):
        return None
    if isinstance(raw, dt.datetime):
        return raw.replace(tzinfo=None)
    if isinstance(raw, dt.date):
        return dt.datetime(raw.year, raw.month, raw.day)  # noqa: DTZ001 - made aware later
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _serial(float(raw))
    value = str(raw).strip()
    try:
        m = _ISO.match(value)
        if m:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            return _combine(y, mo, d, *m.groups()[3:])
        m = _DMY.match(value)
        if m:
            a, b, y = int(m.group(1)), int(m.group(2)), _year(m.group(3))
            day, month = (a, b) if order == "dmy" else (b, a)
            if month > 12:
                raise Bad(
                    _("%(value)s cannot be read as %(order)s like the other dates of this column.")
                    % {"value": value, "order": "D/M/YYYY" if order == "dmy" else "M/D/YYYY"}
                )
            return _combine(y, month, day, *m.groups()[3:])
    except ValueError as exc:
        raise Bad(_("%(value)s is not a real date.") % {"value": value}) from exc
    if _SERIAL.match(value):
        return _serial(float(value))
    named = _named(value)
    if named is not None:
        return named
    raise Bad(_("%(value)s is not a date (use YYYY-MM-DD).") % {"value": value})


def _named(value: str) -> dt.datetime | None:
    """A date whose month is a name (English or Spanish); None when the cell
    does not have that shape, Bad when it has it but names no month or day."""
    from rumbo.imports.words import month_words

    lowered = value.casefold()
    m = _NAMED_DMY.match(lowered)
    if m:
        day, word, year = m.group(1), m.group(2), m.group(3)
    else:
        m = _NAMED_MDY.match(lowered)
        if not m:
            return None
        word, day, year = m.group(1), m.group(2), m.group(3)
    month = month_words().get(fold(word))
    if month is None:
        raise Bad(_("%(value)s is not a date: %(word)s is not a month.")
                  % {"value": value, "word": word})  # fmt: skip
    try:
        return _combine(_year(year), month, int(day), *m.groups()[3:])
    except ValueError as exc:
        raise Bad(_("%(value)s is not a real date.") % {"value": value}) from exc


def _combine(y: int, mo: int, d: int, *time: str | None) -> dt.datetime:
    hh, mm, ss, fraction = time
    micro = int((fraction or "0").ljust(6, "0"))
    return dt.datetime(y, mo, d, int(hh or 0), int(mm or 0), int(ss or 0), micro)  # noqa: DTZ001


def _serial(number: float) -> dt.datetime:
    if not 1 <= number < 2958466:
        raise Bad(_("%(value)s is not a date.") % {"value": number})
    day = EXCEL_EPOCH + dt.timedelta(days=int(number))
    seconds = round((number - int(number)) * 86400)
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)


def parse_date(raw: Any, order: str) -> dt.date | None:
    value = parse_datetime(raw, order)
    return value.date() if value is not None else None


# Numbers and money --------------------------------------------------------------


def decimal_mark_evidence(raw: Any) -> str | None:
    """',' or '.' when this value shows which mark is the decimal one."""
    if not isinstance(raw, str):
        return None
    digits = re.sub(r"[^0-9.,]", "", raw)
    if "," in digits and "." in digits:
        return "," if digits.rfind(",") > digits.rfind(".") else "."
    for mark in (",", "."):
        if digits.count(mark) == 1:
            tail = digits.split(mark)[1]
            if len(tail) != 3:
                return mark
        elif digits.count(mark) > 1:
            return "." if mark == "," else ","
    return None


_CODE_FIRST = re.compile(r"^([A-Za-z]{3})\s*(.*)$")
_CODE_LAST = re.compile(r"^(.*?)\s*([A-Za-z]{3})$")
# Digits and separators only: no currency to look for.
_PLAIN = re.compile(r"^[\d\s.,'()\u00a0-]+$")


def split_currency(raw: str) -> tuple[str, str | None]:
    """'USD 1,200' -> ('1,200', 'USD'); '€1.200' -> ('1.200', 'EUR'); '$5' -> ('5', '$')."""
    value = raw.strip()
    found: str | None = None
    for symbol, code in SYMBOLS.items():
        if symbol in value:
            return value.replace(symbol, "").strip(), code
    m = _CODE_FIRST.match(value) or _CODE_LAST.match(value)
    if m:
        letters = m.group(1) if m.group(1).isalpha() else m.group(2)
        rest = m.group(2) if m.group(1).isalpha() else m.group(1)
        if any(c.isdigit() for c in rest):
            return rest.strip(), letters.upper()
    if "$" in value:
        value, found = value.replace("$", "").strip(), "$"
    return value, found


def parse_decimal(raw: Any, mark: str) -> Decimal | None:
    """A number whose decimal mark is `mark` unless the value itself says otherwise."""
    if raw.__class__ is not str:
        if blank(raw):
            return None
        if isinstance(raw, bool):
            raise Bad(_("%(value)s is not a number.") % {"value": raw})
        if isinstance(raw, int | Decimal):
            return Decimal(raw)
        if isinstance(raw, float):
            return Decimal(repr(raw))
        raw = str(raw)
    original = raw.strip()
    if not original:
        return None
    value = original
    negative = value[0] == "(" and value[-1] == ")"
    if negative:
        value = value[1:-1]
    if " " in value or "\u00a0" in value or "'" in value:
        value = value.replace("\u00a0", "").replace(" ", "").replace("'", "")
    if value[-1:] == "-":
        negative, value = True, value[:-1]
    comma, dot = value.count(","), value.count(".")
    if comma and dot:
        mark = "," if value.rfind(",") > value.rfind(".") else "."
    elif comma > 1:
        mark = "."
    elif dot > 1:
        mark = ","
    elif comma + dot == 1 and len(value) - value.rfind("," if comma else ".") != 4:
        mark = "," if comma else "."  # one separator not followed by three digits: decimals
    if mark == ",":
        value = value.replace(".", "").replace(",", ".") if dot or comma else value
    elif comma:
        value = value.replace(",", "")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise Bad(_("%(value)s is not a number.") % {"value": original}) from None
    if not number.is_finite():
        raise Bad(_("%(value)s is not a number.") % {"value": original})
    return -number if negative else number


# The usual amount, read the same whatever the column's mark: digits, thousands
# grouped by spaces, and one or two decimals after a comma or a dot (never three,
# which would be a thousands group). The fast path of parse_money.
_SIMPLE = re.compile(r"^(?:\d{1,3}(?: \d{3})+|\d+)(?:[.,]\d{1,2})?$")


def parse_money(raw: Any, mark: str, base_currency: str) -> tuple[Decimal | None, str | None]:
    """An amount and the currency its cell names, if any ('$' reads as the base
    currency when that is a dollar or peso, else as USD)."""
    if raw.__class__ is str and _SIMPLE.match(raw):
        return Decimal(raw.replace(" ", "").replace(",", ".")), None
    if raw.__class__ is not str or _PLAIN.match(raw):
        return parse_decimal(raw, mark), None
    number_text, currency = split_currency(raw)
    if currency == "$":
        currency = base_currency if base_currency in DOLLAR_CURRENCIES else "USD"
    return parse_decimal(number_text, mark), currency


def parse_int(raw: Any) -> int | None:
    number = parse_decimal(raw, ".")
    if number is None:
        return None
    if number != number.to_integral_value():
        raise Bad(_("%(value)s is not a whole number.") % {"value": text(raw)})
    return int(number)


TRUE_WORDS = {
    "yes",
    "y",
    "true",
    "t",
    "1",
    "si",
    "s",
    "x",
    "active",
    "activo",
    "activa",
    "verdadero",
}
FALSE_WORDS = {"no", "n", "false", "f", "0", "inactive", "inactivo", "inactiva", "falso"}


def parse_bool(raw: Any) -> bool | None:
    if blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    word = fold(text(raw))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise Bad(_("%(value)s is not yes or no.") % {"value": text(raw)})


# Employees -----------------------------------------------------------------------

# Lower bound of each size band (choices.SizeBand), largest first.
SIZE_BANDS = ((1000, "1000+"), (250, "250-999"), (50, "50-249"), (10, "10-49"), (0, "1-9"))
_HEADCOUNT = re.compile(r"^\s*(?:[<>~≈]|approx\.?|about|aprox\.?)?\s*([\d.,\s\u00a0']+)\+?\s*$")


def size_band_for(count: int) -> str:
    """The size band a number of employees falls in (0 counts as the smallest)."""
    return next(band for low, band in SIZE_BANDS if count >= low)


def parse_headcount(raw: Any) -> int | None:
    """A number of employees as exports write it ('1,200', '250', '5000+', 42.0);
    None when the cell is not a plain number (a band such as '10-49')."""
    if blank(raw) or isinstance(raw, bool):
        return None
    if isinstance(raw, int | float | Decimal):
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    else:
        m = _HEADCOUNT.match(str(raw))
        if not m:
            return None
        try:
            number = parse_decimal(m.group(1), ".") or Decimal(0)
        except Bad:
            return None
    if number < 0 or number != number.to_integral_value():
        return None
    return int(number)
