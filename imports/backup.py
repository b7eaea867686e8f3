"""Backup and restore of one shop: a zip of CSV files (one per model) and a JSON manifest.

What goes in is discovered, not listed: every model that reaches Shop through foreign keys
(Buyer, Order, OrderLine via Order, Review, and whatever other apps add later: follow-ups, reply
templates, settings...), with many-to-many links (buyer tags) in files of their own. Apps can
leave a model out with ``backup_exclude("app_label.model")`` (memberships and import history are
left out: they describe people and operations, not the shop's data).

Restore inserts the rows into an empty shop in dependency order, remapping every primary key,
inside one transaction. Users (authors of notes...) are written by username and found again by
username, or left empty where allowed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Shop

SCHEMA_VERSION = 1
NULL = "\\N"
_EXCLUDED: set[str] = {"customers.membership", "imports.importrun"}


def backup_exclude(label: str) -> None:
    """Leave a model ("app_label.modelname") out of backups."""
    _EXCLUDED.add(label.lower())


# Discovery ------------------------------------------------------------------------------------


def _shop_path(model: type[models.Model], seen: frozenset = frozenset()) -> str | None:
    """The shortest lookup from this model to its Shop ("shop", "order__shop"), or None."""
    best: str | None = None
    for field in model._meta.concrete_fields:
        if not field.is_relation or not field.many_to_one and not field.one_to_one:
            continue
        target = field.related_model
        if target is Shop:
            path = field.name
        elif target in seen or target is model:
            continue
        else:
            rest = _shop_path(target, seen | {model})
            if rest is None:
                continue
            path = f"{field.name}__{rest}"
        if best is None or (path.count("__"), field.null) < (best.count("__"), False):
            best = path
    return best


def backup_models() -> list[tuple[type[models.Model], str]]:
    """Models in a shop's backup with their lookup to the shop, parents before children."""
    found: dict[type[models.Model], str] = {}
    for model in apps.get_models():
        if model is Shop or model._meta.auto_created or model._meta.label_lower in _EXCLUDED:
            continue
        path = _shop_path(model)
        if path is not None:
            found[model] = path
    ordered: list[type[models.Model]] = []
    visiting: set[type[models.Model]] = set()

    def visit(model: type[models.Model]) -> None:
        if model in ordered:
            return
        if model in visiting:
            raise ValidationError(
                _("Backup cannot order %(model)s: its foreign keys form a cycle."),
                code="fk_cycle",
                params={"model": model._meta.label},
            )
        visiting.add(model)
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target in found and target is not model:
                visit(target)
        visiting.discard(model)
        ordered.append(model)

    for model in sorted(found, key=lambda m: m._meta.label_lower):
        visit(model)
    return [(model, found[model]) for model in ordered]


def _m2m_fields(model: type[models.Model], included: set) -> list[models.ManyToManyField]:
    return [
        f
        for f in model._meta.local_many_to_many
        if f.remote_field.through._meta.auto_created and f.related_model in included
    ]


# Values ---------------------------------------------------------------------------------------

_USER = None


def _is_user(model: type[models.Model] | None) -> bool:
    return model is not None and model is get_user_model()


def _encode(field: models.Field, value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        import base64

        return base64.b64encode(bytes(value)).decode()
    if isinstance(field, models.FileField):
        return str(value.name if hasattr(value, "name") else value)
    return str(value)


def _decode(field: models.Field, text: str) -> Any:
    if text == NULL:
        return None
    if isinstance(field, models.JSONField):
        return json.loads(text)
    if isinstance(field, models.BinaryField):
        import base64

        return base64.b64decode(text)
    if isinstance(field, models.FileField):
        return text
    if field.is_relation:
        return field.target_field.to_python(text)
    return field.to_python(text)


class _HashingWriter(io.RawIOBase):
    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.digest.update(data)
        self.target.write(data)
        return len(data)


def _file_name(model: type[models.Model]) -> str:
    return f"{model._meta.label_lower}.csv"


# Export ---------------------------------------------------------------------------------------


def shop_export(*, shop: Shop, target: IO[bytes] | str | Path) -> dict[str, Any]:
    """Write the shop's backup zip to a path or binary file; returns the manifest."""
    plan = backup_models()
    included = {model for model, _path in plan}
    user_model = get_user_model()
    usernames = dict(user_model.objects.values_list("pk", user_model.USERNAME_FIELD))
    manifest: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "app": "rawat",
        "created_at": timezone.now().isoformat(),
        "shop": {"slug": shop.slug, "name": shop.name, "channels": shop.channels},
        "files": [],
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model, path in plan:
            fields = [f for f in model._meta.concrete_fields if f.related_model is not Shop]
            columns = [f.attname for f in fields]
            queryset = model._default_manager.filter(**{path: shop}).order_by("pk")
            entry = _write_csv(
                archive,
                _file_name(model),
                columns,
                (
                    [
                        _encode(f, usernames.get(v) if _is_user(f.related_model) and v else v)
                        for f, v in zip(fields, row, strict=True)
                    ]
                    for row in queryset.values_list(*columns).iterator(chunk_size=2000)
                ),
            )
            entry.update(
                model=model._meta.label_lower,
                shop_path=path,
                users=[f.attname for f in fields if _is_user(f.related_model)],
            )
            manifest["files"].append(entry)
            for m2m in _m2m_fields(model, included):
                through = m2m.remote_field.through
                source = m2m.m2m_field_name()
                dest = m2m.m2m_reverse_field_name()
                pairs = (
                    through.objects.filter(**{f"{source}__{path}": shop})
                    .order_by("pk")
                    .values_list(f"{source}_id", f"{dest}_id")
                )
                entry = _write_csv(
                    archive,
                    f"{model._meta.label_lower}.{m2m.name}.csv",
                    [source, dest],
                    ([str(a), str(b)] for a, b in pairs.iterator(chunk_size=5000)),
                )
                entry.update(model=model._meta.label_lower, m2m=m2m.name)
                manifest["files"].append(entry)
        manifest["counts"] = {f["name"]: f["rows"] for f in manifest["files"]}
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def _write_csv(
    archive: zipfile.ZipFile, name: str, columns: list[str], rows: Iterator[list[str]]
) -> dict[str, Any]:
    count = 0
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as raw:
        hashing = _HashingWriter(raw)
        text = io.TextIOWrapper(hashing, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row)
            count += 1
        text.flush()
        text.detach()
    return {"name": name, "columns": columns, "rows": count, "sha256": hashing.digest.hexdigest()}


def shop_export_to_tempfile(*, shop: Shop) -> IO[bytes]:
    handle = tempfile.TemporaryFile(suffix=".zip")  # noqa: SIM115 - the response closes it
    shop_export(shop=shop, target=handle)
    handle.seek(0)
    return handle


# Restore --------------------------------------------------------------------------------------


def _fail(message: str, code: str, **params: object) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def shop_restore(*, source: IO[bytes] | str | Path, slug: str, name: str = "") -> tuple[Shop, dict]:
    """Restore a backup zip into the shop `slug` (created if missing, must hold no data).

    Everything in one transaction; checksums and columns are verified before anything is
    written. Returns the shop and the rows restored per file.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _fail(_("This is not a Rawat backup (not a zip file)."), "not_backup") from exc
    with archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except (KeyError, ValueError) as exc:
            raise _fail(_("This is not a Rawat backup (no manifest.json)."), "not_backup") from exc
        if manifest.get("schema_version") != SCHEMA_VERSION:
            raise _fail(
                _("Backup schema version %(version)s is not supported (expected %(expected)s)."),
                "schema_version",
                version=manifest.get("schema_version"),
                expected=SCHEMA_VERSION,
            )
        for entry in manifest["files"]:
            digest = hashlib.sha256(archive.read(entry["name"])).hexdigest()
            if digest != entry["sha256"]:
                raise _fail(
                    _("The backup is damaged: %(file)s does not match its checksum."),
                    "checksum",
                    file=entry["name"],
                )
        with transaction.atomic():
            shop = Shop.objects.filter(slug=slug).first()
            if shop is None:
                shop = Shop.objects.create(
                    slug=slug,
                    name=name or manifest["shop"]["name"],
                    channels=manifest["shop"].get("channels", []),
                )
            elif any(
                model._default_manager.filter(**{path: shop}).exists()
                for model, path in backup_models()
            ):
                raise _fail(
                    _("Shop %(slug)s already has data; restore into a new or empty shop."),
                    "shop_not_empty",
                    slug=slug,
                )
            counts = _restore_rows(archive, manifest, shop)
    return shop, counts


def _restore_rows(archive: zipfile.ZipFile, manifest: dict, shop: Shop) -> dict[str, int]:
    user_model = get_user_model()
    user_ids = dict(user_model.objects.values_list(user_model.USERNAME_FIELD, "pk"))
    id_maps: dict[type[models.Model], dict[str, Any]] = {}
    counts: dict[str, int] = {}
    for entry in manifest["files"]:
        if "m2m" in entry:
            continue
        try:
            model = apps.get_model(entry["model"])
        except LookupError as exc:
            raise _fail(
                _("The backup has %(model)s, which this Rawat does not know."),
                "unknown_model",
                model=entry["model"],
            ) from exc
        counts[entry["name"]] = _restore_model(archive, entry, model, shop, id_maps, user_ids)
    for entry in manifest["files"]:
        if "m2m" not in entry:
            continue
        model = apps.get_model(entry["model"])
        m2m = model._meta.get_field(entry["m2m"])
        through = m2m.remote_field.through
        source, dest = entry["columns"]
        rows = _read_csv(archive, entry["name"])
        next(rows)
        links = [
            through(
                **{
                    f"{source}_id": id_maps[model][a],
                    f"{dest}_id": id_maps[m2m.related_model][b],
                }
            )
            for a, b in rows
        ]
        through.objects.bulk_create(links, batch_size=1000)
        counts[entry["name"]] = len(links)
    return counts


def _read_csv(archive: zipfile.ZipFile, name: str) -> Iterator[list[str]]:
    with archive.open(name) as raw:
        yield from csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))


def _restore_model(
    archive: zipfile.ZipFile,
    entry: dict,
    model: type[models.Model],
    shop: Shop,
    id_maps: dict,
    user_ids: dict[str, Any],
) -> int:
    meta = model._meta
    rows = _read_csv(archive, entry["name"])
    columns = next(rows)
    by_attname = {f.attname: f for f in meta.concrete_fields}
    unknown = [c for c in columns if c not in by_attname]
    if unknown:
        raise _fail(
            _("The backup's %(file)s has columns this Rawat does not know: %(columns)s."),
            "unknown_columns",
            file=entry["name"],
            columns=", ".join(unknown),
        )
    pk_name = meta.pk.attname
    shop_fields = [f for f in meta.concrete_fields if f.related_model is Shop]
    auto_fields = [
        f
        for f in meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    self_refs: list[models.Field] = []
    id_map = id_maps.setdefault(model, {})
    total = 0
    batch: list[tuple[str, models.Model, dict[str, Any]]] = []

    def write(batch: list) -> None:
        objects = [obj for _old, obj, _later in batch]
        model._default_manager.bulk_create(objects, batch_size=500)
        for old, obj, _later in batch:
            id_map[old] = obj.pk
        if auto_fields:
            # bulk_create stamps auto_now fields with "now": put the backed-up times back.
            for _old, obj, later in batch:
                for f in auto_fields:
                    setattr(obj, f.attname, later[f.attname])
            model._default_manager.bulk_update(
                objects, [f.name for f in auto_fields], batch_size=500
            )

    deferred: list[tuple[Any, str, str]] = []
    for row in rows:
        values: dict[str, Any] = {}
        later: dict[str, Any] = {}
        old_pk = None
        for column, text in zip(columns, row, strict=True):
            field = by_attname[column]
            if column == pk_name:
                old_pk = text
                continue
            is_user = field.is_relation and _is_user(field.related_model)
            value = (None if text == NULL else text) if is_user else _decode(field, text)
            if field.is_relation and value is not None:
                target = field.related_model
                if is_user:
                    value = user_ids.get(value)
                    if value is None and not field.null:
                        raise _fail(
                            _("User %(user)s in %(file)s does not exist here."),
                            "unknown_user",
                            user=text,
                            file=entry["name"],
                        )
                elif target is model:
                    deferred.append((old_pk, field.attname, text))
                    if field not in self_refs:
                        self_refs.append(field)
                    value = None
                elif target in id_maps:
                    try:
                        value = id_maps[target][text]
                    except KeyError as exc:
                        raise _fail(
                            _("%(file)s refers to a %(target)s that is not in the backup."),
                            "dangling",
                            file=entry["name"],
                            target=target._meta.verbose_name,
                        ) from exc
            if field in auto_fields:
                later[column] = value
            values[column] = value
        for field in shop_fields:
            values[field.attname] = shop.pk
        batch.append((old_pk, model(**values), later))
        total += 1
        if len(batch) >= 1000:
            write(batch)
            batch = []
    if batch:
        write(batch)
    for old_pk, attname, target_old in deferred:
        model._default_manager.filter(pk=id_map[old_pk]).update(**{attname: id_map[target_old]})
    return total


# Daily backups ------------------------------------------------------------------------------


def _backup_dir(shop: Shop) -> Path:
    return Path(settings.MEDIA_ROOT) / "backups" / shop.slug


def backup_keep() -> int:
    return max(1, int(getattr(settings, "BACKUP_KEEP", 7)))


def backups_list(*, shop: Shop) -> list[dict[str, Any]]:
    folder = _backup_dir(shop)
    files = sorted(folder.glob("rawat-*.zip"), reverse=True) if folder.is_dir() else []
    return [
        {
            "name": p.name,
            "size": p.stat().st_size,
            "at": datetime.fromtimestamp(p.stat().st_mtime, tz=timezone.get_current_timezone()),
        }
        for p in files
    ]


def backup_path(*, shop: Shop, name: str) -> Path | None:
    """A stored backup of this shop by file name; None for anything else (no path tricks)."""
    if name not in {b["name"] for b in backups_list(shop=shop)}:
        return None
    return _backup_dir(shop) / name


def backup_rotate(*, shop: Shop) -> Path:
    """Write a dated backup under MEDIA_ROOT/backups/<slug>/ and delete all but the newest N."""
    folder = _backup_dir(shop)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    final = folder / f"rawat-{shop.slug}-{stamp}.zip"
    partial = final.with_suffix(".part")
    shop_export(shop=shop, target=partial)
    partial.replace(final)  # a crash mid-way never leaves a half zip among the backups
    for old in sorted(folder.glob("rawat-*.zip"), reverse=True)[backup_keep() :]:
        old.unlink()
    return final


def backups_rotate_all() -> int:
    count = 0
    for shop in Shop.objects.order_by("pk"):
        backup_rotate(shop=shop)
        count += 1
    return count
