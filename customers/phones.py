"""Indonesian phone numbers in one canonical form: +62 followed by the national number."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-\.\(\)/]")
# After +62 comes the national number without its leading 0: 8-12 digits, never starting with 0.
_NATIONAL = re.compile(r"^[1-9]\d{7,11}$")


def normalize_phone(raw: str | None) -> str:
    """Return the +62 form of an Indonesian number, or "" for an empty value.

    Accepts 08xx, 62xx and +62xx with spaces, dashes, dots or brackets between the digits.
    Raises ValidationError (code "invalid_phone") for anything else, saying why.
    """
    if raw is None:
        return ""
    value = _SEPARATORS.sub("", str(raw).strip())
    if value == "":
        return ""
    if value.startswith("+62"):
        national = value[3:]
    elif value.startswith("62"):
        national = value[2:]
    elif value.startswith("0"):
        national = value[1:]
    else:
        raise ValidationError(
            _("%(value)s is not an Indonesian phone number: start it with 08, 62 or +62."),
            code="invalid_phone",
            params={"value": raw},
        )
    if national.startswith("0"):
        national = national[1:]  # "+62 0812..." is a common slip: the trunk 0 is dropped.
    if not national.isdigit():
        raise ValidationError(
            _("%(value)s contains characters that are not digits."),
            code="invalid_phone",
            params={"value": raw},
        )
    if not _NATIONAL.match(national):
        raise ValidationError(
            _("%(value)s has the wrong number of digits for an Indonesian phone number."),
            code="invalid_phone",
            params={"value": raw},
        )
    return "+62" + national


def wa_number(phone: str) -> str:
    """The digits wa.me expects: +6281234 -> 6281234."""
    return phone.lstrip("+")
