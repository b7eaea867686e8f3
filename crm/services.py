"""Writes shared by every app."""

from __future__ import annotations

from django.db import transaction
from django_q.models import Schedule

from crm.schedules import SCHEDULES


def schedules_setup() -> tuple[int, int]:
    """Write every schedule in crm.schedules.SCHEDULES; re-running creates no duplicates."""
    created = updated = 0
    with transaction.atomic():
        for spec in SCHEDULES:
            _, was_created = Schedule.objects.update_or_create(
                name=spec.name,
                defaults={
                    "func": spec.func,
                    "schedule_type": spec.schedule_type,
                    "minutes": spec.minutes,
                    "cron": spec.cron,
                    "kwargs": spec.kwargs or {},
                    "repeats": -1,
                },
            )
            created += was_created
            updated += not was_created
    return created, updated
