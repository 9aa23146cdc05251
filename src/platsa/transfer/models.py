"""What an import did: who, when, which file (its digest), the counts, and every row it created
or changed with the values before and after, so that it can be undone as a whole."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    AGREEMENTS = "agreements", _("Organisations and agreements with places")
    PLACEMENTS = "placements", _("Participants and placements")
    ATTENDANCE = "attendance", _("Attendance per day")
    ATTENDANCE_WEEK = "attendance_week", _("Attendance per week")
    EXIT_CHECKS = "exit_checks", _("Answers after the end")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed, not imported")
    QUEUED = "queued", _("Being imported")
    COMMITTED = "committed", _("Imported")
    FINAL = "final", _("Imported; no longer undoable")
    UNDONE = "undone", _("Undone")
    DISCARDED = "discarded", _("Discarded")


class ImportRecord(models.Model):
    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("file"), max_length=255)
    digest = models.CharField(_("SHA-256 of the file"), max_length=64)
    # The file itself is kept only between the preview and the import (or discarding it).
    content = models.BinaryField(_("file content"), null=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    counts = models.JSONField(_("counts"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("previewed at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("undone by"),
    )
    # The import itself runs in the background (``platsa worker``): who asked, from where (for
    # the access log), how far it has come, and why it stopped if it did.
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("imported by"),
    )
    queued_from = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=100, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"


class ChangeAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Changed")


class ImportChange(models.Model):
    """One row an import created or changed: enough to put it back exactly."""

    record = models.ForeignKey(
        ImportRecord, on_delete=models.CASCADE, related_name="changes", verbose_name=_("import")
    )
    position = models.PositiveIntegerField(_("order"))
    model = models.CharField(_("table"), max_length=60)
    object_id = models.BigIntegerField(_("row id"))
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"))
    row = models.PositiveIntegerField(_("row in the file"), null=True, blank=True)

    class Meta:
        ordering = ["record", "position"]
        verbose_name = _("imported change")
        verbose_name_plural = _("imported changes")

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} {self.action}"


class ApiToken(models.Model):
    """A personal key to the API: made and revoked by its user, shown once, stored hashed.

    The API answers as the user, with the user's role and organisation: a token reaches no more
    than its user reaches in the app."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("start of the key"), max_length=16)
    digest = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_on = models.DateField(_("valid until"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotentRequest(models.Model):
    """A write through the API sent with an ``Idempotency-Key``: sent again with the same key,
    the same answer is given and nothing is written twice."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    body_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotency_key_once_per_token")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.key}"
