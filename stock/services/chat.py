"""Chat questions (by hand, CSV import, JSON endpoint) and the per-shop API tokens."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import secrets
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from crm.models import Channel
from customers.models import Buyer, BuyerHandle, Product, Shop
from stock.models import ApiToken, ChatQuestion, Source

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

TEXT_MAX = 2000
# The fields a question may carry (API JSON keys and CSV columns alike).
QUESTION_FIELDS = {
    "channel": "required",
    "received_at": "required",
    "text": "optional",
    "responded_at": "optional",
    "response_automatic": "optional",
    "human_responded_at": "optional",
    "buyer_handle": "optional",
    "product_sku": "optional",
    "external_id": "optional",
}
TOKEN_PREFIX = "rwt_"


def _when(value: object, field: str) -> datetime.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = parse_datetime(value.strip().replace(" ", "T", 1))
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValidationError(
                _("%(field)s: %(value)s is not a date and time like 2026-03-10T14:05:00+07:00."),
                code="invalid_datetime",
                params={"field": field, "value": value},
            )
    else:
        raise ValidationError(
            _("%(field)s must be a date and time string."),
            code="invalid_datetime",
            params={"field": field},
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)  # Naive times are read on the Jakarta clock.
    return parsed


def _flag(value: object, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in (None, ""):
        return False
    if isinstance(value, str) and value.strip().lower() in {"1", "true", "yes", "ya", "y"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"0", "false", "no", "tidak", "n"}:
        return False
    raise ValidationError(
        _("%(field)s must be true or false."), code="invalid_boolean", params={"field": field}
    )


def _text(value: object, field: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(
            _("%(field)s must be a string."), code="invalid_type", params={"field": field}
        )
    value = value.strip()
    if len(value) > limit:
        raise ValidationError(
            _("%(field)s is too long: at most %(limit)d characters."),
            code="too_long",
            params={"field": field, "limit": limit},
        )
    return value


def question_clean(*, shop: Shop, data: Mapping[str, Any]) -> dict[str, Any]:
    """Check one question's fields; raise ValidationError (one message per problem) or return
    the values ``chat_question_log`` takes. Unknown fields are refused, so typos are not lost."""
    errors: list[ValidationError] = []
    unknown = sorted(set(data) - set(QUESTION_FIELDS))
    if unknown:
        errors.append(
            ValidationError(
                _("Unknown field(s): %(fields)s. Known: %(known)s."),
                code="unknown_field",
                params={"fields": ", ".join(unknown), "known": ", ".join(QUESTION_FIELDS)},
            )
        )
    for name, need in QUESTION_FIELDS.items():
        if need == "required" and data.get(name) in (None, ""):
            errors.append(
                ValidationError(
                    _("%(field)s is required."), code="required", params={"field": name}
                )
            )
    clean: dict[str, Any] = {}

    def attempt(name: str, parse: Any) -> None:
        try:
            clean[name] = parse()
        except ValidationError as error:
            errors.extend(error.error_list)

    channel = data.get("channel")
    if channel not in (None, "") and channel not in Channel.values:
        errors.append(
            ValidationError(
                _("channel: %(value)s is not one of %(known)s."),
                code="invalid_channel",
                params={"value": channel, "known": ", ".join(Channel.values)},
            )
        )
    clean["channel"] = channel
    attempt("text", lambda: _text(data.get("text"), "text", TEXT_MAX))
    attempt("received_at", lambda: _when(data.get("received_at"), "received_at"))
    attempt("responded_at", lambda: _when(data.get("responded_at"), "responded_at"))
    attempt(
        "human_responded_at", lambda: _when(data.get("human_responded_at"), "human_responded_at")
    )
    attempt(
        "response_automatic",
        lambda: _flag(data.get("response_automatic"), "response_automatic"),
    )
    attempt("buyer_handle", lambda: _text(data.get("buyer_handle"), "buyer_handle", 150))
    attempt("external_id", lambda: _text(data.get("external_id"), "external_id", 100))
    attempt("product_sku", lambda: _text(data.get("product_sku"), "product_sku", 64))
    if errors:
        raise ValidationError(errors)

    received = clean["received_at"]
    if received > timezone.now() + datetime.timedelta(minutes=5):
        errors.append(
            ValidationError(_("received_at is in the future."), code="received_in_future")
        )
    for name in ("responded_at", "human_responded_at"):
        if clean[name] is not None and clean[name] < received:
            errors.append(
                ValidationError(
                    _("%(field)s is before the question was received."),
                    code="response_before_question",
                    params={"field": name},
                )
            )
    # A first reply written by a person is also the first personal reply.
    if (
        clean["responded_at"] is not None
        and not clean["response_automatic"]
        and clean["human_responded_at"] is None
    ):
        clean["human_responded_at"] = clean["responded_at"]
    product = None
    if clean["product_sku"]:
        product = Product.objects.for_shop(shop).filter(sku=clean["product_sku"]).first()
        if product is None:
            errors.append(
                ValidationError(
                    _("product_sku: no product %(sku)s in this shop."),
                    code="product_not_found",
                    params={"sku": clean["product_sku"]},
                )
            )
    if errors:
        raise ValidationError(errors)
    clean["product"] = product
    del clean["product_sku"]
    return clean


def _buyer_for(shop: Shop, channel: str, handle: str) -> Buyer | None:
    if not handle:
        return None
    found = (
        BuyerHandle.objects.for_shop(shop)
        .filter(channel=channel, handle__iexact=handle.lstrip("@"))
        .select_related("buyer")
        .first()
    )
    return found.buyer if found else None


def chat_question_log(
    *, shop: Shop, data: Mapping[str, Any], source: str = Source.SELLER
) -> tuple[ChatQuestion, bool]:
    """Log an inbound question (or, for a known ``external_id``, add its response); (q, created).

    ``data`` holds the QUESTION_FIELDS; everything is checked first and nothing is written on
    an error. Whether the product was sold out is recorded at the time the question is logged.
    """
    clean = question_clean(shop=shop, data=data)
    return _question_write(shop=shop, clean=clean, source=source)


def _question_write(*, shop: Shop, clean: dict[str, Any], source: str) -> tuple[ChatQuestion, bool]:
    if clean["external_id"]:
        existing = ChatQuestion.objects.filter(
            shop=shop, channel=clean["channel"], external_id=clean["external_id"]
        ).first()
        if existing is not None:
            _responses_merge(existing, clean)
            return existing, False
    product: Product | None = clean["product"]
    question = ChatQuestion(
        shop=shop,
        channel=clean["channel"],
        external_id=clean["external_id"],
        buyer=_buyer_for(shop, clean["channel"], clean["buyer_handle"]),
        buyer_handle=clean["buyer_handle"],
        product=product,
        product_sold_out=product is not None and product.stock == 0,
        text=clean["text"],
        received_at=clean["received_at"],
        responded_at=clean["responded_at"],
        response_automatic=clean["response_automatic"] and clean["responded_at"] is not None,
        human_responded_at=clean["human_responded_at"],
        source=source,
    )
    try:
        with transaction.atomic():
            question.save()
    except IntegrityError:  # The same message id arrived twice at once.
        existing = ChatQuestion.objects.get(
            shop=shop, channel=clean["channel"], external_id=clean["external_id"]
        )
        _responses_merge(existing, clean)
        return existing, False
    return question, True


def _responses_merge(question: ChatQuestion, clean: Mapping[str, Any]) -> None:
    """Fill response times the question did not have yet; a known first response stays."""
    changed = []
    if question.responded_at is None and clean["responded_at"] is not None:
        if clean["responded_at"] < question.received_at:
            raise ValidationError(
                _("responded_at is before the question was received."),
                code="response_before_question",
            )
        question.responded_at = clean["responded_at"]
        question.response_automatic = clean["response_automatic"]
        changed += ["responded_at", "response_automatic"]
    if question.human_responded_at is None and clean["human_responded_at"] is not None:
        if clean["human_responded_at"] < question.received_at:
            raise ValidationError(
                _("human_responded_at is before the question was received."),
                code="response_before_question",
            )
        question.human_responded_at = clean["human_responded_at"]
        changed.append("human_responded_at")
    if changed:
        question.save(update_fields=[*changed, "updated_at"])


def chat_question_respond(
    *, question: ChatQuestion, at: datetime.datetime | None = None, automatic: bool = False
) -> ChatQuestion:
    """Record a reply to a question: the first reply, and the first personal one."""
    at = at or timezone.now()
    if at < question.received_at:
        raise ValidationError(
            _("The reply cannot be earlier than the question."), code="response_before_question"
        )
    _responses_merge(
        question,
        {
            "responded_at": at,
            "response_automatic": automatic,
            "human_responded_at": None if automatic else at,
        },
    )
    return question


def chat_questions_import(
    *, shop: Shop, content: str | Iterable[str], source: str = Source.IMPORT
) -> tuple[int, int]:
    """Import questions from CSV text (a header row of QUESTION_FIELDS); (created, updated).

    Every row is checked first: one bad row and nothing is written, and the error names the line.
    """
    if isinstance(content, str):
        content = io.StringIO(content.lstrip("\ufeff"))
    reader = csv.DictReader(content)
    header = reader.fieldnames or []
    missing = [
        name for name, need in QUESTION_FIELDS.items() if need == "required" and name not in header
    ]
    if missing:
        raise ValidationError(
            _("The CSV needs the column(s) %(columns)s in its first line."),
            code="missing_columns",
            params={"columns": ", ".join(missing)},
        )
    rows: list[dict[str, Any]] = []
    errors: list[ValidationError] = []
    for row in reader:
        line = reader.line_num
        data = {key: (value or "") for key, value in row.items() if key is not None}
        if None in row:
            errors.append(
                ValidationError(
                    _("Line %(line)d has more values than the header has columns."),
                    code="extra_values",
                    params={"line": line},
                )
            )
            continue
        if not any(value.strip() for value in data.values()):
            continue
        try:
            rows.append(question_clean(shop=shop, data=data))
        except ValidationError as error:
            for message in error.messages:
                errors.append(
                    ValidationError(
                        _("Line %(line)d: %(message)s"),
                        code="invalid_row",
                        params={"line": line, "message": message},
                    )
                )
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("The CSV has no questions."), code="empty_file")
    created = updated = 0
    with transaction.atomic():
        for clean in rows:
            _question, was_created = _question_write(shop=shop, clean=clean, source=source)
            created += was_created
            updated += not was_created
    return created, updated


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(
    *, shop: Shop, name: str, by: AbstractBaseUser | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``shop``; the raw value is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError(
            _("Give the token a name, e.g. the tool that uses it."), code="name_missing"
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        shop=shop,
        name=name[:80],
        prefix=raw[:10],
        token_hash=_hash(raw),
        created_by=by if by is not None and by.is_authenticated else None,
    )
    return token, raw


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The live token with this value, or None. Only hashes are compared."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.filter(token_hash=_hash(raw), revoked_at__isnull=True)
        .select_related("shop")
        .first()
    )
    if token is not None:
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token
