from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

FORMAT_CHOICES = [
    ("auto", _("Recognise from the header row")),
    ("rawat", _("Rawat orders")),
    ("shopee", "Shopee"),
    ("tokopedia", "Tokopedia"),
    ("lazada", _("Lazada (unverified mapping)")),
    ("bukalapak", _("Bukalapak (unverified mapping)")),
    ("rawat_reviews", _("Rawat reviews")),
    ("rawat_buyers", _("Rawat buyers")),
]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Export file (CSV or XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,.txt,text/csv", "data-dropzone-input": ""}
        ),
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="auto")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = int(getattr(settings, "IMPORT_MAX_BYTES", 200 * 1024 * 1024))
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB."),
                code="too_large",
                params={"limit": limit // (1024 * 1024)},
            )
        return upload
