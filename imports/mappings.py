"""Column mappings kept as data (imports/mappings/*.toml), and picking one from a header row."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"
KINDS = ("orders", "reviews", "buyers")
STATUSES = ("paid", "shipped", "delivered", "completed", "cancelled", "returned", "skip")

_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def header_key(text: object) -> str:
    """'No. Pesanan' -> 'nopesanan': headers compare without case, spaces or punctuation."""
    return _NOT_ALNUM.sub("", str(text or "")).casefold()


def words_key(text: object) -> str:
    """'J&T Express' -> 'j t express': for values matched word by word (couriers, statuses)."""
    return " ".join(_NOT_ALNUM.sub(" ", str(text or "")).casefold().split())


@dataclass(frozen=True)
class Mapping:
    name: str
    label: str
    kind: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[tuple[str, ...], ...]
    channel: str = ""
    verified: bool = True
    statuses: dict[str, str] = field(default_factory=dict)

    def locate(self, header: list[str]) -> dict[str, tuple[int, ...]]:
        """For each concept, the positions of its headers present in this header row, best first."""
        positions: dict[str, int] = {}
        for index, title in enumerate(header):
            positions.setdefault(header_key(title), index)
        found: dict[str, tuple[int, ...]] = {}
        for concept, alternatives in self.columns.items():
            hits = tuple(
                positions[key]
                for key in (header_key(alt) for alt in alternatives)
                if key in positions
            )
            if hits:
                found[concept] = tuple(dict.fromkeys(hits))
        return found

    def missing(self, located: dict[str, tuple[int, ...]]) -> list[str]:
        """Required concepts not found, each described by the headers that would satisfy it."""
        missing = []
        for group in self.required:
            if not any(concept in located for concept in group):
                headers = [alt for concept in group for alt in self.columns.get(concept, ())]
                missing.append(" / ".join(f'"{h}"' for h in headers))
        return missing


def mapping_parse(text: str, *, source: str) -> Mapping:
    """Read one mapping from TOML text; ValidationError (code invalid_mapping) says what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(
            _("Mapping %(source)s is not valid TOML: %(error)s"),
            code="invalid_mapping",
            params={"source": source, "error": exc},
        ) from exc
    problems = []
    name = str(data.get("name", "")).strip()
    kind = data.get("kind", "orders")
    columns = data.get("columns")
    if not name:
        problems.append(_("'name' is missing"))
    if kind not in KINDS:
        problems.append(_("'kind' must be one of %s") % ", ".join(KINDS))
    if not isinstance(columns, dict) or not columns:
        problems.append(_("the [columns] table is missing"))
        columns = {}
    parsed_columns: dict[str, tuple[str, ...]] = {}
    for concept, headers in columns.items():
        if isinstance(headers, str):
            headers = [headers]
        if not isinstance(headers, list) or not all(isinstance(h, str) for h in headers):
            problems.append(_("column %s must be a list of header texts") % concept)
            continue
        parsed_columns[concept] = tuple(headers)
    required = []
    for item in data.get("required", []):
        group = tuple(item) if isinstance(item, list) else (item,)
        unknown = [c for c in group if c not in parsed_columns]
        if unknown:
            problems.append(
                _("required column %s has no headers in [columns]") % ", ".join(unknown)
            )
        required.append(group)
    statuses = {}
    for text_value, status in (data.get("status") or {}).items():
        if status not in STATUSES:
            problems.append(
                _("status %(text)s maps to %(status)s, which is not one of %(allowed)s")
                % {"text": text_value, "status": status, "allowed": ", ".join(STATUSES)}
            )
        statuses[words_key(text_value)] = status
    if problems:
        raise ValidationError(
            _("Mapping %(source)s: %(problems)s."),
            code="invalid_mapping",
            params={"source": source, "problems": "; ".join(problems)},
        )
    return Mapping(
        name=name,
        label=str(data.get("label") or name),
        kind=kind,
        columns=parsed_columns,
        required=tuple(required),
        channel=str(data.get("channel", "")),
        verified=bool(data.get("verified", True)),
        statuses=statuses,
    )


@functools.cache
def shipped_mappings() -> dict[str, Mapping]:
    """The mappings shipped with Rawat, by name (read once per process)."""
    result = {}
    for path in sorted(MAPPINGS_DIR.glob("*.toml")):
        if path.stem == "couriers":
            continue
        mapping = mapping_parse(path.read_text(encoding="utf-8"), source=path.name)
        result[mapping.name] = mapping
    return result


def mappings_for_shop(shop_id: int | None) -> dict[str, Mapping]:
    """Shipped mappings, with the shop's own overrides (admin: Column mappings) replacing them."""
    result = dict(shipped_mappings())
    if shop_id is not None:
        from imports.models import MappingOverride

        for override in MappingOverride.objects.filter(shop_id=shop_id):
            mapping = mapping_parse(override.content, source=override.name)
            result[override.name] = mapping
    return result


@dataclass(frozen=True)
class Detected:
    mapping: Mapping
    located: dict[str, tuple[int, ...]]


def mapping_detect(
    header: list[str], *, mappings: dict[str, Mapping], requested: str = "auto"
) -> Detected:
    """The mapping whose required columns are all in the header (the most matched columns wins).

    A requested format is checked rather than guessed. Raises ValidationError (unknown_format,
    unknown_layout or missing_columns) naming the required columns that were not found.
    """
    if requested and requested != "auto":
        mapping = mappings.get(requested)
        if mapping is None:
            raise ValidationError(
                _("Unknown format %(format)s. Known formats: %(known)s."),
                code="unknown_format",
                params={"format": requested, "known": ", ".join(sorted(mappings))},
            )
        located = mapping.locate(header)
        missing = mapping.missing(located)
        if missing:
            raise ValidationError(
                _("This is not a %(label)s file: required columns not found: %(missing)s."),
                code="missing_columns",
                params={"label": mapping.label, "missing": "; ".join(missing)},
            )
        return Detected(mapping, located)
    candidates = []
    for mapping in mappings.values():
        located = mapping.locate(header)
        missing = len(mapping.missing(located))
        # The layout that explains the most columns decides, so that an order file missing a
        # column is reported as such rather than read as some smaller layout it also fits.
        candidates.append((-len(located), missing, mapping.name, mapping))
    candidates.sort(key=lambda c: c[:3])
    neg_found, has_missing, _name, best = candidates[0]
    if not has_missing:
        return Detected(best, best.locate(header))
    closest = best.missing(best.locate(header))
    if neg_found == 0:
        raise ValidationError(
            _(
                "Unknown file layout: no known column was found in the first row. Rawat reads "
                "its own format (columns order_id, channel, ordered_at, ...) and the order "
                "exports of %(known)s."
            ),
            code="unknown_layout",
            params={"known": "Shopee, Tokopedia, Lazada, Bukalapak"},
        )
    raise ValidationError(
        _(
            "Unknown file layout. It looks most like %(label)s, but these required columns "
            "were not found: %(missing)s."
        ),
        code="missing_columns",
        params={"label": best.label, "missing": "; ".join(closest)},
    )


@functools.cache
def courier_rules() -> tuple[tuple[str, str], ...]:
    data = tomllib.loads((MAPPINGS_DIR / "couriers.toml").read_text(encoding="utf-8"))
    return tuple(
        (f" {words_key(alias)} ", code)
        for code, aliases in data["couriers"].items()
        for alias in aliases
    )


@functools.lru_cache(maxsize=512)
def courier_code(text: str) -> str:
    """'SiCepat REG' -> 'sicepat', 'SPX Standard' -> 'spx', unknown -> 'other', '' -> ''."""
    words = words_key(text)
    if not words:
        return ""
    padded = f" {words} "
    for alias, code in courier_rules():
        if alias in padded:
            return code
    return "other"
