"""Calendar occasions: Indonesian holidays from the `holidays` package and the big sale days.

Holidays are named by a stable key derived from the package's English name (so the key does not
change with the display language or the "(estimated)" suffix the package adds to Islamic dates
it computes rather than knows). Each key has its own greeting (followups.texts, editable per
shop); a holiday the package adds later gets the general holiday greeting with its Indonesian
name.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.utils.translation import gettext_lazy as _

# English name in the holidays package -> our key. Second days are not greeted twice.
_KEYS_BY_NAME = {
    "New Year's Day": "tahun_baru",
    "Isra' and Mi'raj": "isra_miraj",
    "Lunar New Year": "imlek",
    "Day of Silence": "nyepi",
    "Eid al-Fitr": "idul_fitri",
    "Eid al-Fitr Second Day": None,
    "Good Friday": "wafat_isa",
    "Easter Sunday": "paskah",
    "International Labor Day": "hari_buruh",
    "Ascension Day": "kenaikan",
    "Eid al-Adha": "idul_adha",
    "Vesak Day": "waisak",
    "Pancasila Day": "pancasila",
    "Islamic New Year": "tahun_baru_islam",
    "Independence Day": "kemerdekaan",
    "Prophet's Birthday": "maulid",
    "Christmas Day": "natal",
}

HOLIDAY_LABELS = {
    "tahun_baru": _("New Year"),
    "isra_miraj": _("Isra Mi'raj"),
    "imlek": _("Lunar New Year (Imlek)"),
    "nyepi": _("Nyepi"),
    "idul_fitri": _("Idul Fitri"),
    "wafat_isa": _("Good Friday"),
    "paskah": _("Easter"),
    "hari_buruh": _("Labour Day"),
    "kenaikan": _("Ascension Day"),
    "idul_adha": _("Idul Adha"),
    "waisak": _("Vesak"),
    "pancasila": _("Pancasila Day"),
    "tahun_baru_islam": _("Islamic New Year"),
    "kemerdekaan": _("Independence Day"),
    "maulid": _("Maulid Nabi"),
    "natal": _("Christmas (Natal)"),
}

# Greeted unless the shop turns them off; solemn days and Labour Day are opt-in.
DEFAULT_HOLIDAY_KEYS = tuple(k for k in HOLIDAY_LABELS if k not in {"wafat_isa", "hari_buruh"})

# Harbolnas: the national online shopping days, greeted like holidays.
HARBOLNAS_DAYS = {(11, 11): "11.11", (12, 12): "12.12"}


@dataclass(frozen=True)
class Holiday:
    date: datetime.date
    key: str
    name: str  # Indonesian name from the package, without "(perkiraan)"


_ESTIMATED = re.compile(r"\s*\((estimated|perkiraan)\)\s*$")


def _key_for(english_name: str) -> str | None:
    base = _ESTIMATED.sub("", english_name)
    if base in _KEYS_BY_NAME:
        return _KEYS_BY_NAME[base]
    if "second day" in base.lower():
        return None
    return re.sub(r"[^a-z0-9]+", "_", base.lower()).strip("_")


@lru_cache(maxsize=16)
def _year(year: int) -> tuple[Holiday, ...]:
    english = holidays.country_holidays("ID", years=year, language="en_US")
    local = holidays.country_holidays("ID", years=year, language="id")
    found: list[Holiday] = []
    for day in sorted(english.keys()):
        local_names = local.get_list(day)
        for index, name in enumerate(english.get_list(day)):
            key = _key_for(name)
            if key is None:
                continue
            local_name = local_names[index] if index < len(local_names) else name
            found.append(Holiday(day, key, _ESTIMATED.sub("", local_name)))
    return tuple(found)


def holidays_on(day: datetime.date) -> list[Holiday]:
    """The Indonesian public holidays that fall on ``day`` (first days only)."""
    return [h for h in _year(day.year) if h.date == day]


def holidays_in(year: int) -> list[Holiday]:
    return list(_year(year))


def harbolnas_on(day: datetime.date) -> str | None:
    return HARBOLNAS_DAYS.get((day.month, day.day))
