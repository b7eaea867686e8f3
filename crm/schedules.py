"""Every django-q2 schedule Rawat runs, by name. `manage.py setup_schedules` writes them.

Apps add their entries here, so that the whole timetable is one list a maintainer can read.
catch_up is off for all of them (set in Q_CLUSTER): after downtime each runs once, not once per
missed slot.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    func: str
    schedule_type: str  # django_q.models.Schedule.MINUTES / CRON / DAILY ...
    minutes: int | None = None
    cron: str | None = None
    kwargs: dict[str, object] = field(default_factory=dict)


SCHEDULES: list[ScheduleSpec] = [
    # reviews: triage any review a creation path left untriaged (safety net, every 5 minutes).
    ScheduleSpec(
        name="reviews.triage_pending",
        func="reviews.tasks.triage_pending",
        schedule_type="I",
        minutes=5,
    ),
    # imports: a backup zip of every shop each day, keeping the last BACKUP_KEEP per shop.
    ScheduleSpec(
        name="imports.backups_daily", func="imports.tasks.backups_daily", schedule_type="D"
    ),
    # followups: order rules every 15 minutes, sending (and promotion) every minute, and the
    # loyalty planner at 08:00 WIB. django-q2 evaluates cron in Q_CLUSTER time_zone, which
    # defaults to TIME_ZONE (Asia/Jakarta), so "0 8 * * *" is 08:00 WIB (01:00 UTC).
    ScheduleSpec(
        name="followups.plan_orders",
        func="followups.tasks.plan_orders",
        schedule_type="I",
        minutes=15,
    ),
    ScheduleSpec(
        name="followups.send_due", func="followups.tasks.send_due", schedule_type="I", minutes=1
    ),
    ScheduleSpec(
        name="followups.plan_loyalty",
        func="followups.tasks.plan_loyalty",
        schedule_type="C",
        cron="0 8 * * *",
    ),
    # insights: the care dashboard's daily rollup, recent days every 10 minutes, and a full
    # rebuild at 02:30 WIB (catches deleted rows).
    ScheduleSpec(
        name="insights.rollups_refresh",
        func="insights.tasks.rollups_refresh",
        schedule_type="I",
        minutes=10,
    ),
    ScheduleSpec(
        name="insights.rollups_rebuild",
        func="insights.tasks.rollups_rebuild",
        schedule_type="C",
        cron="30 2 * * *",
    ),
]
