"""The "Shop managers" group: what a staff manager may do in the admin site.

Which rows they see is decided by shop membership (crm.admin.ShopScopedAdminMixin); this group
only grants the model permissions. It covers every model of Rawat's own apps (customers, reviews
and later ones such as followups), never auth.User or auth.Group, and never adding or deleting a
whole shop.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction

MANAGERS_GROUP = "Shop managers"

# Opening or deleting a shop is a superuser's job (see customers.admin.ShopAdmin).
_WITHHELD = {"customers.add_shop", "customers.delete_shop"}


def rawat_app_labels() -> list[str]:
    """Labels of the installed apps that live in this project (not Django or a library)."""
    base = Path(settings.BASE_DIR).resolve()
    labels = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base in path.parents and ".venv" not in path.parts and config.get_models():
            labels.append(config.label)
    return sorted(labels)


def managers_group_permissions() -> list[Permission]:
    """view/add/change/delete on every model of Rawat's apps, minus adding/deleting shops."""
    permissions = Permission.objects.filter(
        content_type__app_label__in=rawat_app_labels()
    ).select_related("content_type")
    return [
        permission
        for permission in permissions
        if f"{permission.content_type.app_label}.{permission.codename}" not in _WITHHELD
        and permission.codename.split("_", 1)[0] in {"view", "add", "change", "delete"}
    ]


def managers_group_ensure() -> Group:
    """Create or update the "Shop managers" group; re-running writes nothing when up to date."""
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=MANAGERS_GROUP)
        wanted = {permission.pk for permission in managers_group_permissions()}
        current = set(group.permissions.values_list("pk", flat=True))
        if wanted - current:
            group.permissions.add(*(wanted - current))
        if current - wanted:
            group.permissions.remove(*(current - wanted))
    return group
