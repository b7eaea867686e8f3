"""Import runs (one uploaded file, checked then committed) and per-shop column mappings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm.models import TimeStampedModel
from customers.models import Shop, ShopScopedQuerySet


class ImportRun(TimeStampedModel):
    """One file a seller (or a command) imported: who, when, what, and what came of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked, ready to import")
        INVALID = "invalid", _("Has errors")
        COMMITTING = "committing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        ORDERS = "orders", _("Orders")
        REVIEWS = "reviews", _("Reviews")
        BUYERS = "buyers", _("Buyers")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="import_runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_runs",
        verbose_name=_("imported by"),
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.BigIntegerField(_("size (bytes)"), default=0)
    requested_format = models.CharField(_("requested format"), max_length=40, default="auto")
    format = models.CharField(_("format"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    total_rows = models.PositiveIntegerField(_("rows in file"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("invalid rows"), default=0)
    message = models.TextField(_("message"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        indexes = [
            # Import page: the shop's recent runs, newest first.
            models.Index(fields=["shop", "-created_at"], name="imports_run_shop_created"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("imports:run_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.CHECKING, self.Status.COMMITTING)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0 if self.is_running else 100
        return min(100, round(100 * self.processed_rows / self.total_rows))


class MappingOverride(TimeStampedModel):
    """A shop's own column mapping (TOML), used instead of the shipped one of the same name.

    Lets a seller (or support, in the admin) follow a marketplace that renamed a column the
    same day, without a code change.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="import_mappings")
    name = models.CharField(
        _("format name"),
        max_length=40,
        help_text=_("shopee, tokopedia, lazada, bukalapak, or a new name for a new layout."),
    )
    content = models.TextField(
        _("mapping (TOML)"),
        help_text=_("Same layout as the files in imports/mappings/: copy one and edit it."),
    )

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["shop", "name"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="imports_mapping_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.shop}: {self.name}"

    def clean(self) -> None:
        from imports.mappings import mapping_parse

        mapping_parse(self.content, source=self.name)
