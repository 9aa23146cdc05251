from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platsa.transfer.reading import MAX_BYTES


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=[])
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file, with the template's column names."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No kind is preselected: the user says what the file holds.
        self.fields["kind"].choices = [("", _("Choose…")), *kinds]  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB: split it.") % {"max": MAX_BYTES // 2**20}
            )
        return upload
