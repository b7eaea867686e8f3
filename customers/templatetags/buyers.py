"""Template filters for buyer facts."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter(name="phone_display")
def phone_display(phone: str | None) -> str:
    """+6281234567890 -> '+62 812-3456-7890': the stored +62 form, grouped for reading aloud."""
    if not phone or not phone.startswith("+62"):
        return phone or ""
    national = phone[3:]
    if national.startswith("8") and len(national) >= 9:
        return f"+62 {national[:3]}-{national[3:7]}-{national[7:]}"
    return f"+62 {national}"
