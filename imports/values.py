"""Cell parsers for Indonesian spreadsheets: dates, rupiah amounts, counts.

Each takes what a CSV or XLSX cell holds (str, int, float, datetime or None) and returns the
value to store, or raises CellError with a message for the seller. They are on the hot path of
a million-row import, so the common shapes are handled with slicing and small caches.
"""

from __future__ import annotations

import functools
import math
import re
from datetime import UTC, date, datetime, timedelta, timezone

from django.utils.translation import gettext as _

# Asia/Jakarta has been UTC+7 without daylight saving since 1964: a fixed offset is exact.
JAKARTA = timezone(timedelta(hours=7), "WIB")


_SEVEN_HOURS = timedelta(hours=7)


class CellError(ValueError):
    """A value that cannot be used; the message is shown to the seller with row and column."""


_MONTHS = {
    **dict.fromkeys(["jan", "januari", "january"], 1),
    **dict.fromkeys(["feb", "februari", "february", "pebruari"], 2),
    **dict.fromkeys(["mar", "maret", "march"], 3),
    **dict.fromkeys(["apr", "april"], 4),
    **dict.fromkeys(["mei", "may"], 5),
    **dict.fromkeys(["jun", "juni", "june"], 6),
    **dict.fromkeys(["jul", "juli", "july"], 7),
    **dict.fromkeys(["agu", "agt", "agus", "agustus", "aug", "august"], 8),
    **dict.fromkeys(["sep", "sept", "september"], 9),
    **dict.fromkeys(["okt", "oktober", "oct", "october"], 10),
    **dict.fromkeys(["nov", "nop", "november", "nopember"], 11),
    **dict.fromkeys(["des", "desember", "dec", "december"], 12),
}
_TIME = r"(?:[ T]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.\d+)?)?)?"
_ZONE = r"\s*(Z|[+-]\d{2}:?\d{2}|WIB)?"
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + _ZONE + r"$", re.IGNORECASE)
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})" + _TIME + _ZONE + r"$", re.IGNORECASE)
_NAMED = re.compile(r"^(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})" + _TIME + _ZONE + r"$")


def _build(y: int, mo: int, d: int, h: str | None, mi: str | None, s: str | None, zone: str | None):
    if not zone or zone.upper() == "WIB":
        # The common case, kept cheap: Jakarta wall clock minus 7 hours is UTC.
        try:
            return datetime(y, mo, d, int(h or 0), int(mi or 0), int(s or 0), 0, UTC) - _SEVEN_HOURS
        except ValueError as exc:
            raise CellError(
                _("%(value)s is not a real date or time.") % {"value": f"{d}/{mo}/{y}"}
            ) from exc
    try:
        naive = datetime(y, mo, d, int(h or 0), int(mi or 0), int(s or 0))
    except ValueError as exc:
        raise CellError(
            _("%(value)s is not a real date or time.") % {"value": f"{d}/{mo}/{y}"}
        ) from exc
    if zone.upper() == "Z":
        tz = UTC
    else:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    return naive.replace(tzinfo=tz).astimezone(UTC)


def wall_clock_utc(text: str) -> datetime | None:
    """The shapes most exports use, parsed in C: Jakarta time as a naive UTC datetime.

    Takes stripped text of exactly ``dd/mm/yyyy`` or ``yyyy-mm-dd``, alone or followed by
    `` HH:MM`` or `` HH:MM:SS`` (or a ``T`` instead of the space), ASCII digits only. Returns
    None for any other text and for an impossible date or time, so that ``parse_datetime``
    decides and explains: whatever this accepts, parse_datetime reads the same way.
    """
    n = len(text)
    if n != 16 and n != 10 and n != 19:
        return None
    if n > 10 and (
        text[13] != ":" or (text[10] != " " and text[10] != "T") or (n == 19 and text[16] != ":")
    ):
        return None
    if text[2] == "/" and text[5] == "/":
        iso = f"{text[6:10]}-{text[3:5]}-{text[:2]}{text[10:]}"
    elif text[4] == "-" and text[7] == "-":
        iso = text
    else:
        return None
    if not iso.isascii():  # fromisoformat reads ASCII digits only; the full parser reads others
        return None
    if n > 10 and text[11:13] > "23":  # newer Pythons read 24:00 as the next midnight
        return None
    try:
        return datetime.fromisoformat(iso) - _SEVEN_HOURS
    except (ValueError, OverflowError):
        return None


# Parts of the texts wall_clock_text has read: a file has few distinct days and clock times.
_DAYS: dict[str, tuple[str, str] | None] = {}
_CLOCKS: dict[str, tuple[str, bool] | None] = {}
_NOT_READ = ("", False)


def _day_parts(part: str) -> tuple[str, str] | None:
    """'05/01/2025' or '2025-01-05' -> ('2025-01-05', '2025-01-04'); None if not such a day."""
    if part[2] == "/" and part[5] == "/":
        iso = f"{part[6:10]}-{part[3:5]}-{part[:2]}"
    elif part[4] == "-" and part[7] == "-":
        iso = part
    else:
        return None
    if not iso.isascii():
        return None
    try:
        day = date.fromisoformat(iso)
        return day.isoformat(), (day - timedelta(days=1)).isoformat()
    except (ValueError, OverflowError):
        return None


def _clock_parts(part: str) -> tuple[str, bool] | None:
    """'14:07' or '14:07:30' (Jakarta) -> ('07:07:30', False); '03:00' -> ('20:00:00', True):
    the UTC clock time, and whether it falls on the day before. None if not such a time."""
    hours, minutes, seconds = part[:2], part[3:5], part[6:] or "00"
    digits = hours + minutes + seconds
    if len(digits) != 6 or not (digits.isascii() and digits.isdigit()):
        return None
    if hours > "23" or minutes > "59" or seconds > "59":
        return None
    hour = int(hours) - 7
    return f"{hour % 24:02d}:{minutes}:{seconds}", hour < 0


def wall_clock_text(text: str) -> str | None:
    """wall_clock_utc as the text SQLite stores ('2025-01-05 07:07:00'), or None.

    The same shapes as wall_clock_utc, without making a datetime: the day and the clock time
    are each checked once per distinct value and remembered. Never a different answer from
    parse_datetime; None for anything else (and for the first day of year 1).
    """
    n = len(text)
    if n == 16 or n == 19:
        if text[13] != ":" or (text[10] != " " and text[10] != "T"):
            return None
        if n == 19 and text[16] != ":":
            return None
        day = _DAYS.get(text[:10], _NOT_READ)
        if day is _NOT_READ:
            day = _remember(_DAYS, text[:10], _day_parts(text[:10]))
        clock = _CLOCKS.get(text[11:], _NOT_READ)
        if clock is _NOT_READ:
            clock = _remember(_CLOCKS, text[11:], _clock_parts(text[11:]))
        if day is None or clock is None:
            return None
        return f"{day[1] if clock[1] else day[0]} {clock[0]}"
    if n == 10:
        day = _DAYS.get(text, _NOT_READ)
        if day is _NOT_READ:
            day = _remember(_DAYS, text, _day_parts(text))
        return None if day is None else f"{day[1]} 17:00:00"  # midnight WIB
    return None


def _remember(cache: dict, key: str, value: object) -> object:
    if len(cache) >= 100_000:
        cache.clear()
    cache[key] = value
    return value


@functools.lru_cache(maxsize=8192)
def _datetime_from_text(text: str) -> datetime:
    if match := _ISO.match(text):
        y, mo, d, h, mi, s, zone = match.groups()
        return _build(int(y), int(mo), int(d), h, mi, s, zone)
    if match := _DMY.match(text):
        # Indonesian files write the day first: 12/03/2026 is 12 March.
        d, mo, y, h, mi, s, zone = match.groups()
        return _build(int(y), int(mo), int(d), h, mi, s, zone)
    if match := _NAMED.match(text):
        d, month_name, y, h, mi, s, zone = match.groups()
        month = _MONTHS.get(month_name.casefold())
        if month is None:
            raise CellError(_("%(value)s is not a date: unknown month name.") % {"value": text})
        return _build(int(y), month, int(d), h, mi, s, zone)
    raise CellError(
        _("%(value)s is not a date. Use 12/03/2026 14:05 (day first) or 2026-03-12 14:05.")
        % {"value": text}
    )


def parse_datetime(value: object) -> datetime | None:
    """A Jakarta wall-clock time (or an explicit offset) as an aware UTC datetime; None if empty."""
    if value is None:
        return None
    try:
        if value.__class__ is str and value and value[0].isdigit():  # the common case, cached
            return _datetime_from_text(value.strip())  # type: ignore[union-attr]
        if isinstance(value, datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=JAKARTA)
            return value.astimezone(UTC)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day, tzinfo=JAKARTA).astimezone(UTC)
        if isinstance(value, int | float):
            raise CellError(_("%(value)s is a number, not a date.") % {"value": value})
        text = str(value).strip()
        if not text or text == "-":
            return None
        return _datetime_from_text(text)
    except CellError:
        raise
    except (ValueError, OverflowError) as exc:
        # Found by fuzzing: an offset such as +99:99, or a time at the very start or end of the
        # calendar (1/1/0001 WIB) that UTC cannot hold. A bad cell, not a crash of the import.
        raise CellError(_("%(value)s is not a real date or time.") % {"value": value}) from exc


def parse_date(value: object) -> date | None:
    parsed = parse_datetime(value)
    if parsed is None:
        return None
    try:
        return parsed.astimezone(JAKARTA).date()
    except OverflowError as exc:  # 31/12/9999 23:00 UTC is already year 10000 in Jakarta
        raise CellError(_("%(value)s is not a real date or time.") % {"value": value}) from exc


_MONEY_STRIP = re.compile(r"(?i)rp\.?|idr|\s|\u00a0")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")


@functools.lru_cache(maxsize=8192)
def _number_from_text(text: str) -> float:
    cleaned = _MONEY_STRIP.sub("", text)
    negative = cleaned.startswith("-") or (cleaned.startswith("(") and cleaned.endswith(")"))
    cleaned = cleaned.strip("-()+")
    if not cleaned:
        raise CellError(_("%(value)s is not a number.") % {"value": text})
    if "." in cleaned and "," in cleaned:
        # The separator that comes last is the decimal one: 125.000,50 and 125,000.50.
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "." in cleaned:
        if _THOUSANDS_DOT.match(cleaned):
            cleaned = cleaned.replace(".", "")
    elif "," in cleaned:
        cleaned = (
            cleaned.replace(",", "")
            if _THOUSANDS_COMMA.match(cleaned)
            else cleaned.replace(",", ".")
        )
    try:
        number = float(cleaned)
    except ValueError as exc:
        raise CellError(_("%(value)s is not a number.") % {"value": text}) from exc
    return -number if negative else number


def _number(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(_("%(value)s is not a number.") % {"value": value})
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an int beyond float range (10**400)
            number = math.nan
    else:
        text = str(value).strip()
        if not text or text == "-":
            return None
        number = _number_from_text(text)
    if not math.isfinite(number):  # found by fuzzing: "nan", "inf", "1e309" crashed int()
        raise CellError(_("%(value)s is not a number.") % {"value": value})
    return number


# The largest values the database columns hold on every backend (Product.price is a
# PositiveIntegerField): found by fuzzing, a bigger cell made PostgreSQL refuse the whole file.
RUPIAH_MAX = 2_147_483_647
QUANTITY_MAX = 1_000_000


def _too_large(value: object, limit: str) -> str:
    return _("%(value)s is too large: at most %(limit)s.") % {"value": value, "limit": limit}


def parse_rupiah(value: object) -> int | None:
    """'Rp125.000', '125.000,00', '125,000', 125000.0 -> 125000 (whole rupiah, never negative)."""
    if value.__class__ is str:
        return _rupiah_cached(value)  # type: ignore[arg-type]
    return _rupiah(value)


def _rupiah(value: object) -> int | None:
    number = _number(value)
    if number is None:
        return None
    if number < 0:
        raise CellError(_("%(value)s is negative; amounts must be 0 or more.") % {"value": value})
    if number > RUPIAH_MAX:
        raise CellError(_too_large(value, "Rp 2.147.483.647"))
    return int(number + 0.5)


def parse_quantity(value: object) -> int | None:
    if value.__class__ is str:
        return _quantity_cached(value)  # type: ignore[arg-type]
    return _quantity(value)


def _quantity(value: object) -> int | None:
    number = _number(value)
    if number is None:
        return None
    if number != int(number):
        raise CellError(_("%(value)s is not a whole number.") % {"value": value})
    if number < 1:
        raise CellError(_("Quantity must be at least 1, not %(value)s.") % {"value": value})
    if number > QUANTITY_MAX:
        raise CellError(_too_large(value, "1.000.000"))
    return int(number)


# Prices and quantities repeat a lot in one file; errors are not cached (raised each time).
_rupiah_cached = functools.lru_cache(maxsize=8192)(_rupiah)
_quantity_cached = functools.lru_cache(maxsize=1024)(_quantity)


def parse_rating(value: object) -> int:
    number = _number(value)
    if number is None or number != int(number) or not 1 <= number <= 5:
        raise CellError(
            _("Rating must be a whole number from 1 to 5, not %(value)s.") % {"value": value}
        )
    return int(number)


_TRUE = {"1", "true", "yes", "ya", "y", "x", "v"}
_FALSE = {"", "0", "false", "no", "tidak", "n", "-"}


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("%(value)s is not yes or no.") % {"value": value})


def text(value: object) -> str:
    """A cell as stripped text; XLSX numbers that are really identifiers lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()
