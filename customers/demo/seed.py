"""Seed a realistic demo shop: users, shop, then the generator (customers.demo.generate).

Idempotent: a second run finds every user, product, tag, buyer and order and writes nothing;
a run with larger ``--buyers/--orders`` adds only the missing rows. Fast: 1,000,000 orders go
in with one executemany (or COPY) per table and chunk of ``CHUNK_SIZE`` rows, generated in
worker processes (customers.demo.parallel) while this one writes.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from customers.demo import catalogue, parallel
from customers.demo.generate import Seeder
from customers.managers import managers_group_ensure
from customers.models import Membership, Shop
from reviews.models import Review

DEFAULT_SLUG = "demo"
DEFAULT_OWNER = "demo"
DEFAULT_MANAGER = "manager"
DEFAULT_BUYERS = 240
DEFAULT_ORDERS = 1_200
CHUNK_SIZE = 5_000
MAX_ROWS = 10_000_000
MAX_JOBS = 64

Progress = Callable[[str], None]


@dataclass
class DemoReport:
    shop: Shop
    owner: str
    manager: str
    users_created: list[str] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    triage: str = ""

    @property
    def wrote_anything(self) -> bool:
        return bool(self.users_created) or any(self.created.values())


# ---------------------------------------------------------------------------------------------
# Entry point


def demo_seed(
    *,
    slug: str = DEFAULT_SLUG,
    owner: str = DEFAULT_OWNER,
    manager: str | None = None,
    buyers: int = DEFAULT_BUYERS,
    orders: int = DEFAULT_ORDERS,
    chunk_size: int = CHUNK_SIZE,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> DemoReport:
    """Create (or complete) the demo shop ``slug`` with its owner and a staff manager.

    Users get their username as password (development only). New orders are generated in
    ``jobs`` worker processes (default: one per CPU; 1 generates them in this process, with the
    same result). Raises ValidationError with a code for bad arguments or a shop that already
    belongs to somebody else; writes nothing then.
    """
    manager = manager or (DEFAULT_MANAGER if slug == DEFAULT_SLUG else f"{slug}-manager")
    _validate(slug=slug, owner=owner, manager=manager, buyers=buyers, orders=orders, jobs=jobs)
    say = progress or (lambda message: None)

    with transaction.atomic():
        shop, created_shop = Shop.objects.get_or_create(
            slug=slug,
            defaults={
                "name": catalogue.SHOP_NAME if slug == DEFAULT_SLUG else _shop_name(slug),
                "channels": catalogue.SHOP_CHANNELS,
            },
        )
        if (
            not created_shop
            and not Membership.objects.filter(
                shop=shop, user__username=owner, role=Membership.Role.OWNER
            ).exists()
        ):
            raise ValidationError(
                _("The shop %(slug)s already exists and %(owner)s is not its owner."),
                code="shop_taken",
                params={"slug": slug, "owner": owner},
            )
        report = DemoReport(shop=shop, owner=owner, manager=manager)
        owner_user = _user_ensure(owner, staff=False, report=report)
        manager_user = _user_ensure(manager, staff=True, report=report)
        _membership_ensure(shop, owner_user, Membership.Role.OWNER, report)
        _membership_ensure(shop, manager_user, Membership.Role.STAFF, report)
        group = managers_group_ensure()
        if not manager_user.groups.filter(pk=group.pk).exists():
            manager_user.groups.add(group)

    _sqlite_tune()
    seeder = Seeder(shop=shop, owner=owner_user, chunk_size=chunk_size, say=say)
    report.created["products"] = seeder.products_ensure()
    report.created["tags"] = seeder.tags_ensure()
    created = seeder.buyers_ensure(buyers)
    report.created.update(created)
    created = seeder.orders_ensure(orders, buyers, jobs=jobs or parallel.default_jobs())
    report.created.update(created)
    # Waiting lists (DEMO-SOLDOUT), variants, cancellations and chat questions (stock app).
    from stock.demo import stock_demo_seed

    report.created.update(stock_demo_seed(shop=shop))
    if seeder.triaged:
        report.triage = _("Reviews triaged while generating: %(count)s") % {"count": seeder.triaged}
    elif report.created.get("reviews"):
        report.triage = _triage(shop)
    # The apology-and-explain drafts the seller finds in the inbox (only reviews without one).
    from reviews.services import replies_draft_bulk

    report.created["reply drafts"] = replies_draft_bulk(shop=shop)
    _analyze()
    _sqlite_untune()
    return report


def _sqlite_tune() -> None:
    """A page cache that holds the indexes being filled (256 MB for this connection).

    With SQLite's default 2 MB, inserting a million orders into five indexes reads and writes
    the same pages again and again: the seed took three times longer.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
            if not connection.in_atomic_block:  # SQLite refuses it inside a transaction
                # Demo data: no fsync at each chunk's commit, and fewer, larger checkpoints. A
                # crash of this process loses nothing committed; a power cut could (re-seed).
                cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA wal_autocheckpoint = 20000")


def _sqlite_untune() -> None:
    """Back to the settings of crm/settings.py for whatever this connection does next."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            if not connection.in_atomic_block:
                cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA wal_autocheckpoint = 1000")
            cursor.execute("PRAGMA cache_size = -2000")


def _analyze() -> None:
    """Fresh planner statistics for the tables that just grew.

    Without them SQLite guesses, and for "this buyer's reviews, newest first" it walks the whole
    shop's reviews in date order instead of looking up the buyer's orders. ``analysis_limit``
    samples each index (a fraction of a second for a million orders).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            # VACUUM also sets the visibility map, without which PostgreSQL cannot count from
            # an index alone; it cannot run inside a transaction (a test's), ANALYZE can.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def _validate(
    *, slug: str, owner: str, manager: str, buyers: int, orders: int, jobs: int | None
) -> None:
    if not slug or slugify(slug) != slug:
        raise ValidationError(
            _("%(slug)s is not a valid shop slug: use lower-case letters, digits and hyphens."),
            code="invalid_slug",
            params={"slug": slug},
        )
    validator = get_user_model().username_validator
    for username in (owner, manager):
        try:
            validator(username)
        except ValidationError as error:
            raise ValidationError(
                _("%(username)s is not a valid username."),
                code="invalid_username",
                params={"username": username},
            ) from error
    if owner == manager:
        raise ValidationError(
            _("The owner and the manager must be different users."), code="same_user"
        )
    if not 1 <= buyers <= MAX_ROWS:
        raise ValidationError(
            _("The number of buyers must be between 1 and %(max)s."),
            code="invalid_buyers",
            params={"max": MAX_ROWS},
        )
    if not 0 <= orders <= MAX_ROWS:
        raise ValidationError(
            _("The number of orders must be between 0 and %(max)s."),
            code="invalid_orders",
            params={"max": MAX_ROWS},
        )
    if jobs is not None and not 1 <= jobs <= MAX_JOBS:
        raise ValidationError(
            _("The number of jobs must be between 1 and %(max)s."),
            code="invalid_jobs",
            params={"max": MAX_JOBS},
        )


def _shop_name(slug: str) -> str:
    return "Toko " + " ".join(part.capitalize() for part in slug.split("-") if part)


def _user_ensure(username: str, *, staff: bool, report: DemoReport) -> AbstractBaseUser:
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(username=username, is_staff=staff)
        user.set_password(username)  # development only; the command warns when DEBUG is off
        user.save()
        report.users_created.append(username)
    return user


def _membership_ensure(shop: Shop, user: AbstractBaseUser, role: str, report: DemoReport) -> None:
    _, created = Membership.objects.get_or_create(shop=shop, user=user, defaults={"role": role})
    report.created["memberships"] = report.created.get("memberships", 0) + int(created)


def _triage(shop: Shop) -> str:
    """Fallback when the in-memory triage engine is absent: the bulk service, if any."""
    bulk = None
    for module_name, function_name in (
        ("reviews.services", "reviews_triage_bulk"),
        ("reviews.services", "reviews_triage"),
        ("reviews.triage", "review_triage_bulk"),
    ):
        try:
            module = __import__(module_name, fromlist=[function_name])
        except ImportError:
            continue
        bulk = getattr(module, function_name, None)
        if bulk is not None:
            break
    if bulk is None:
        return _("Review triage engine not installed yet; reviews left untriaged.")
    untriaged = Review.objects.for_shop(shop).filter(triaged_at__isnull=True)
    parameters = inspect.signature(bulk).parameters
    if "shop" in parameters:
        result = bulk(shop=shop)
    elif "reviews" in parameters:
        result = bulk(reviews=untriaged)
    else:
        result = bulk(untriaged)
    return _("Reviews triaged: %(result)s") % {"result": result}
