"""Import jobs, saved column mappings and aliases.

An `ImportJob` is one file taken through the pipeline (parse → map → validate →
stage → apply); it keeps its status, progress, counts and the problems found.
A `ColumnMapping` is an organisation's saved header → field mapping for a kind.
An `Alias` says "this spelling means that record (or that catalogue value)", so a
file that names a product or a rep differently imports after one correction."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rumbo.tenancy.models import Member, TenantModel
from rumbo.tenancy.scoping import ADMIN_ONLY


class ImportStatus(models.TextChoices):
    # Stored and queued: the job reads its header (the request never opens the file).
    READING = "reading", _("Reading")
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Checking")
    VALIDATED = "validated", _("Checked")
    REJECTED = "rejected", _("Rejected")
    APPLYING = "applying", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


def _kind_label(kind: str) -> str:
    """An import kind's name in the reader's language, capitalised."""
    from rumbo.imports.kinds import KINDS

    spec = KINDS.get(kind)
    return str(spec.label).capitalize() if spec else kind


class ImportJob(TenantModel):
    """One file on its way in. The file and the problems CSV live in the import
    storage (settings.IMPORT_ROOT); the row holds what the pages show."""

    scope_owner = ADMIN_ONLY
    created_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    kind = models.CharField(_("kind"), max_length=20)
    preset = models.CharField(_("preset"), max_length=20, default="generic")
    file_name = models.CharField(_("file"), max_length=255)
    file_path = models.CharField(max_length=500)
    file_size = models.PositiveBigIntegerField(default=0)
    # Header -> field name ("" leaves a column out); the user's corrections included.
    mapping = models.JSONField(default=dict, blank=True)
    # The file's headers in their order (PostgreSQL's jsonb does not keep key order).
    header = models.JSONField(default=list, blank=True)
    # A workbook's sheets, and the one read ("" for a CSV: the first sheet).
    sheets = models.JSONField(default=list, blank=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(_("to create"), default=0)
    updated = models.PositiveIntegerField(_("to update"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    # The first problems, for the page; all of them are in the problems CSV.
    problems = models.JSONField(default=list, blank=True)
    problems_path = models.CharField(max_length=500, blank=True)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name}"

    @property
    def kind_label(self) -> str:
        """What the file holds, in the reader's language ("Deals", "Negocios")."""
        return _kind_label(self.kind)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))


class ColumnMapping(TenantModel):
    """A saved header → field mapping of one kind, reused for the next file."""

    scope_owner = ADMIN_ONLY
    kind = models.CharField(_("kind"), max_length=20)
    name = models.CharField(_("name"), max_length=80)
    mapping = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "name"], name="column_mapping_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.name}"

    @property
    def kind_label(self) -> str:
        return _kind_label(self.kind)


class Alias(TenantModel):
    """This spelling (normalised: lower case, single spaces) means that record
    (`record_id`, for members, teams, customers, products, techniques, deals) or
    that value (`value`, for catalogue words such as a segment or a stage)."""

    scope_owner = ADMIN_ONLY
    kind = models.CharField(_("kind"), max_length=20)
    spelling = models.CharField(_("spelling"), max_length=200)
    record_id = models.BigIntegerField(null=True, blank=True)
    value = models.CharField(_("value"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["kind", "spelling"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "spelling"], name="alias_unique_spelling"
            )
        ]

    def __str__(self) -> str:
        return f"{self.spelling} → {self.meaning}"

    @property
    def kind_label(self) -> str:
        from rumbo.imports.saved import alias_kind_label

        return alias_kind_label(self.kind)

    @property
    def meaning(self) -> str:
        """What the spelling means, in words: the record's name (when read through
        `selectors.aliases_for`, which annotates it), a stage, or the value."""
        from rumbo.sales.choices import Outcome, Stage

        if self.record_id is not None:
            return getattr(self, "target_name", None) or f"#{self.record_id}"
        if self.kind == "stage":
            stage, _sep, outcome = self.value.partition(":")
            if outcome in (Outcome.WON, Outcome.LOST):
                return str(Outcome(outcome).label)
            if stage in Stage.values:
                return str(Stage(stage).label)
        return self.value

    @property
    def broken(self) -> bool:
        """A record alias whose record was deleted since (see `aliases_for`)."""
        return self.record_id is not None and getattr(self, "target_name", "") is None
