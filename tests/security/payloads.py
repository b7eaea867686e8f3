"""Hostile content: what buyers, marketplaces and imports may put into Rawat's texts."""

from __future__ import annotations

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JAVASCRIPT_URL = "javascript:alert(1)"
WA_LINK = 'https://wa.me/6281234567890?text=<b>halo</b>&x="y"'
TEMPLATE_SYNTAX = "{{ request.user.password }}{% debug %}"
PLACEHOLDER = "{buyer_name.__class__}{shop_name!r:>99}"

PAYLOADS = [SCRIPT, IMG, JAVASCRIPT_URL, WA_LINK, TEMPLATE_SYNTAX, PLACEHOLDER]

# Cells a spreadsheet would run as formulas when the seller opens an export.
FORMULAS = ['=HYPERLINK("http://evil.example","klik")', "+62 812-1", "-2+3", "@SUM(1,2)"]

# Pieces that must never reach a page unescaped (the payload's raw, active form).
ACTIVE = [b"<script>alert(1)", b"<img src=x onerror", b"<b>halo</b>"]
# Signs that a text was evaluated as a template instead of shown.
EVALUATED = [b"<class '", b"&lt;class &#x27;", b"pbkdf2_sha256", b"sql_queries"]
