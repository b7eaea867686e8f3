"""Demo buyers: Indonesian names from many regions, phones, handles, e-mails.

Everything is a pure function of a ``random.Random`` and the buyer's index, so the demo is the
same on every machine and every run.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

# fmt: off
# Given names and family names by region/community. Javanese and Sundanese people often go by
# one or two given names; Batak, Manado and Chinese-Indonesian buyers carry a family name.
_GROUPS: dict[str, dict[str, list[str]]] = {
    "javanese": {
        "first_f": [
            "Sri", "Dwi", "Tri", "Endang", "Wulan", "Rini", "Ayu", "Dewi", "Retno", "Sulastri",
            "Kartika", "Lestari", "Puji", "Ratna", "Sekar", "Nur", "Indah", "Wahyu", "Rahayu",
            "Anjani", "Galuh", "Laras",
        ],
        "first_m": [
            "Budi", "Agus", "Joko", "Bambang", "Slamet", "Eko", "Wahyu", "Heru", "Teguh", "Bayu",
            "Sigit", "Prasetyo", "Yudi", "Adi", "Hari", "Dimas", "Gilang", "Aji",
        ],
        "last": [
            "Santoso", "Wijayanti", "Lestari", "Wahyuni", "Susilo", "Purnomo", "Rahayu",
            "Setiawan", "Utomo", "Handayani", "Kusumawati", "Prasetyo", "Nugroho", "Hartono",
            "Suryani", "Pratiwi", "Saputra", "Wibowo", "Hidayat", "Sulistyowati",
        ],
    },
    "sundanese": {
        "first_f": [
            "Euis", "Neng", "Iis", "Lilis", "Cucu", "Enok", "Rina", "Yuyun", "Teti", "Nenden",
            "Dedeh", "Nining", "Imas", "Siti", "Rika", "Fitri",
        ],
        "first_m": [
            "Asep", "Ujang", "Dede", "Cecep", "Dadang", "Ujang", "Encep", "Aep", "Usep", "Yayan",
            "Jajang", "Endang", "Deden", "Rudi",
        ],
        "last": [
            "Saepudin", "Sukmawati", "Komariah", "Kurniasih", "Nurjanah", "Hermawan",
            "Suryana", "Supriatna", "Rohayati", "Sopiah", "Permana", "Mulyana", "Gunawan",
            "Rustandi", "Hidayat",
        ],
    },
    "batak": {
        "first_f": [
            "Rosmawati", "Tiurma", "Lamtiar", "Debora", "Ruth", "Grace", "Maria", "Yohana",
            "Sarah", "Nova", "Friska", "Lusiana",
        ],
        "first_m": [
            "Togar", "Parulian", "Hotman", "Marihot", "Jonathan", "Daniel", "Samuel", "Andreas",
            "Rudolf", "Binsar", "Hasudungan",
        ],
        "last": [
            "Simanjuntak", "Sitompul", "Nainggolan", "Siregar", "Hutapea", "Lubis", "Nasution",
            "Sinaga", "Pardede", "Situmorang", "Simatupang", "Panjaitan", "Manurung", "Tambunan",
            "Harahap", "Sihombing", "Sitorus",
        ],
    },
    "minang": {
        "first_f": [
            "Yulia", "Rahmi", "Fitri", "Yelfi", "Nurul", "Desi", "Rani", "Zulfa", "Mega",
            "Vivi", "Rosa", "Elvi",
        ],
        "first_m": [
            "Rahmat", "Fadli", "Zulkifli", "Afrizal", "Syafri", "Yusrizal", "Hendri", "Irwan",
            "Rizki", "Fauzi", "Arif",
        ],
        "last": [
            "Rahmi", "Putri", "Syahputra", "Zulkarnain", "Anwar", "Hamzah", "Chaniago",
            "Piliang", "Koto", "Sikumbang", "Tanjung", "Caniago", "Jambak",
        ],
    },
    "chinese_indonesian": {
        "first_f": [
            "Michelle", "Stephanie", "Lisa", "Jessica", "Cindy", "Vivian", "Felicia", "Angela",
            "Meiliana", "Lily", "Evelyn", "Clara", "Natalia", "Yenny",
        ],
        "first_m": [
            "Kevin", "Hendra", "Steven", "William", "Edward", "Ferry", "Hartono", "Andi",
            "Rudy", "Jefri", "Yohanes", "Vincent",
        ],
        "last": [
            "Wijaya", "Tanoto", "Halim", "Gunawan", "Santoso", "Kurniawan", "Susanto",
            "Hartanto", "Tanuwijaya", "Salim", "Lim", "Tan", "Liem", "Setiadi", "Wibisono",
            "Chandra", "Lie",
        ],
    },
    "manado": {
        "first_f": ["Jeane", "Meity", "Olivia", "Stevani", "Christy", "Jein", "Marlyn"],
        "first_m": ["Frangky", "Jefry", "Stenly", "Herry", "Rolly", "Vecky", "Johny"],
        "last": [
            "Rumondor", "Wowor", "Lumentut", "Tumbelaka", "Sondakh", "Pangemanan", "Mandagi",
            "Rondonuwu", "Kalalo",
        ],
    },
    "balinese": {
        "first_f": ["Ni Luh Putu", "Ni Made", "Ni Komang", "Ni Ketut", "Ni Wayan", "Ni Kadek"],
        "first_m": ["I Gede", "I Made", "I Komang", "I Ketut", "I Wayan", "I Putu"],
        "last": [
            "Ayu Lestari", "Sudarsana", "Ariani", "Wirawan", "Suastika", "Dewi", "Arsana",
            "Sukerti", "Mahendra", "Pradnyani",
        ],
    },
    "bugis_makassar": {
        "first_f": ["Andi Nurul", "Andi Sitti", "Sitti", "Hasnah", "Nurhayati", "Rosdiana"],
        "first_m": ["Andi", "Muhammad", "Syamsul", "Arifin", "Baso", "Ilham"],
        "last": [
            "Pallawa", "Amiruddin", "Rahman", "Ramli", "Syamsuddin", "Mappanyukki",
            "Hasanuddin", "Tenri",
        ],
    },
    "arab_indonesian": {
        "first_f": ["Fatimah", "Syarifah", "Aisyah", "Nabila", "Zahra"],
        "first_m": ["Hasan", "Umar", "Husein", "Ali", "Salim"],
        "last": ["Alatas", "Assegaf", "Alkaff", "Baswedan", "Shahab", "Bawazier"],
    },
}

# A fashion/hijab shop in Bandung: most buyers are women, many from West Java.
_GROUP_WEIGHTS = {
    "javanese": 30,
    "sundanese": 30,
    "batak": 8,
    "minang": 9,
    "chinese_indonesian": 8,
    "manado": 3,
    "balinese": 3,
    "bugis_makassar": 6,
    "arab_indonesian": 3,
}
_GROUP_NAMES = list(_GROUP_WEIGHTS)
_GROUP_WEIGHT_VALUES = list(_GROUP_WEIGHTS.values())

# Indonesian mobile prefixes (Telkomsel, Indosat, XL, Tri, Smartfren, Axis).
_MOBILE_PREFIXES = [
    "811", "812", "813", "821", "822", "823", "851", "852", "853", "814", "815", "816",
    "855", "856", "857", "858", "817", "818", "819", "859", "877", "878", "895", "896",
    "897", "898", "899", "881", "882", "883", "887", "831", "832", "838",
]
# The ways a seller types a number they received in a chat or a marketplace label.
_PHONE_FORMATS = [
    "0{p}{a}{b}",
    "0{p}-{a}-{b}",
    "0{p} {a} {b}",
    "+62{p}{a}{b}",
    "+62 {p}-{a}-{b}",
    "+62 {p} {a} {b}",
    "62{p}{a}{b}",
    "(0{p}) {a}{b}",
    "0{p}.{a}.{b}",
]
_EMAIL_DOMAINS = ["gmail.com"] * 8 + ["yahoo.co.id", "yahoo.com", "ymail.com", "outlook.com"]
# fmt: on

# Multipliers coprime with the moduli below make index -> code a bijection: unique, not sequential.
_SCRAMBLE = 2_654_435_761


@dataclass(frozen=True)
class Person:
    name: str
    female: bool
    group: str


def person_make(rng: random.Random) -> Person:
    group = rng.choices(_GROUP_NAMES, weights=_GROUP_WEIGHT_VALUES)[0]
    pools = _GROUPS[group]
    female = rng.random() < 0.82
    first = rng.choice(pools["first_f"] if female else pools["first_m"])
    last = rng.choice(pools["last"])
    if last == first or last in first:
        last = rng.choice(pools["last"])
    if group in {"javanese", "sundanese"} and rng.random() < 0.25:
        name = (
            first
            if rng.random() < 0.5
            else f"{first} {rng.choice(pools['first_f' if female else 'first_m'])}"
        )
    else:
        name = f"{first} {last}"
    if rng.random() < 0.04 and female:
        name = f"Hj. {name}"  # returned from the hajj
    return Person(name=name, female=female, group=group)


def phone_digits(index: int, salt: int) -> str:
    """The national number of buyer ``index`` (unique per index): 8 + 2 prefix digits + 8 digits."""
    prefix = _MOBILE_PREFIXES[(index * 7 + salt) % len(_MOBILE_PREFIXES)]
    tail = (index * _SCRAMBLE + salt * 7919) % 100_000_000
    return f"{prefix}{tail:08d}"


def phone_raw(rng: random.Random, digits: str) -> str:
    """The national number typed the way a seller might have received it."""
    prefix, rest = digits[:3], digits[3:]
    return rng.choice(_PHONE_FORMATS).format(p=prefix, a=rest[:4], b=rest[4:])


def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower().replace("hj. ", ""))


def handle_make(rng: random.Random, person: Person, number: int) -> str:
    """A marketplace/Instagram username; the trailing number makes it unique in the shop."""
    parts = [ascii_slug(part) for part in person.name.replace("Hj. ", "").split()]
    parts = [part for part in parts if part] or ["pembeli"]
    first, last = parts[0], parts[-1]
    style = rng.randrange(6)
    if style == 0:
        base = f"{first}{last}"
    elif style == 1:
        base = f"{first}_{last}"
    elif style == 2:
        base = f"{first}.{last}"
    elif style == 3:
        base = f"{first}_"
    elif style == 4:
        base = f"{'its' if rng.random() < 0.5 else 'official'}{first}"
    else:
        base = f"{first[:3]}{last[:4]}"
    return f"{base}{number}"


def email_make(rng: random.Random, person: Person, number: int) -> str:
    parts = [ascii_slug(part) for part in person.name.split()]
    parts = [part for part in parts if part] or ["pembeli"]
    local = ".".join(parts[:2]) if rng.random() < 0.5 else "".join(parts[:2])
    return f"{local}{number}@{rng.choice(_EMAIL_DOMAINS)}"


def scrambled(index: int, modulus: int, salt: int) -> int:
    """A unique, non-sequential number for ``index`` below ``modulus`` (needs gcd == 1)."""
    return (index * _SCRAMBLE + salt) % modulus


_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def base36(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, rem = divmod(number, 36)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))
