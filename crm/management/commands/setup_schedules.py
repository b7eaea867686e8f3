from __future__ import annotations

from django.core.management.base import BaseCommand

from crm.services import schedules_setup


class Command(BaseCommand):
    help = "Create or update Rawat's django-q2 schedules by name (safe to run again)."

    def handle(self, *args: object, **options: object) -> None:
        created, updated = schedules_setup()
        self.stdout.write(f"schedules created: {created}, updated: {updated}")
