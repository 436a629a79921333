"""The history of imports: each file read, who read it, when, its checksum and what it did."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from workforce.core.models import AuthorityOwned, Progress


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Being checked"
    PREVIEWED = "previewed", "Checked, not imported"
    APPLYING = "applying", "Being imported"
    APPLIED = "applied", "Imported"
    REFUSED = "refused", "Refused"
    DISCARDED = "discarded", "Not imported"
    FAILED = "failed", "Failed"
    UNDOING = "undoing", "Being undone"
    UNDONE = "undone", "Undone"


# A file being worked on by the background worker: its page shows a progress bar.
WORKING = (ImportStatus.CHECKING, ImportStatus.APPLYING, ImportStatus.UNDOING)


class ImportRun(AuthorityOwned):
    """One file put through an importer: first checked (a dry run), then imported or not.

    While a checked file waits for the decision its bytes are kept in `data`, so the import
    reads exactly the file that was checked; they are cleared once it is imported, refused or
    discarded. The SHA-256 checksum says which file it was ever after.

    Uploaded, a file is checked by the background worker (`imports.tasks`): the run is
    "checking" until then, and "applying" while the worker imports it. `progress` is how far
    the worker has got; `task_id` the queued task's id, to tell a task that failed.
    """

    kind = models.CharField(max_length=30, help_text="Which importer read the file.")
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(help_text="The file's size in bytes.")
    sha256 = models.CharField("SHA-256 checksum", max_length=64)
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imports_checked",
        help_text="Empty when the file was read on the command line.",
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imports_applied",
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imports_undone",
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    audit_from = models.BigIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The last audit trail entry before the import: later ones came after it.",
    )
    counts = models.JSONField(default=dict, help_text="Records created, changed and matched.")
    problems = models.JSONField(default=list)
    entries = models.JSONField(default=list)
    summary = models.JSONField(default=dict, help_text="What the importer says about the file.")
    options = models.JSONField(
        default=dict, blank=True, help_text="What was chosen with the file: a saved mapping."
    )
    data = models.BinaryField(null=True, blank=True, editable=False)
    progress = models.OneToOneField(
        Progress, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    task_id = models.CharField(max_length=64, blank=True, help_text="The queued task's id.")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def working(self) -> bool:
        return self.status in WORKING

    @property
    def can_apply(self) -> bool:
        return self.status == ImportStatus.PREVIEWED and self.data is not None


class ChangeAction(models.TextChoices):
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    DELETE = "delete", "Deleted"


class ImportChange(models.Model):
    """One record an import created, changed or deleted, in the order it did so: what undoing
    the import reverses (`imports.changes`). `before` holds the record's values before the
    import changed or deleted it (empty for a record it created)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="changes")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=10, choices=ChangeAction.choices)
    before = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.content_type.model} {self.object_id}"


class ColumnMapping(AuthorityOwned):
    """Which column of a source's extract holds each field an importer reads, saved once and
    used again next month: for example "iTrent staff extract" for staff files.

    `columns` maps a field (`staff_number`) to the heading the source gives it ("Employee No").
    A field not in it is looked for under its usual headings.
    """

    kind = models.CharField(max_length=30, help_text="The kind of file it is for.")
    name = models.CharField(max_length=80, help_text="The source, as people call it.")
    columns = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "kind", "name"], name="column_mapping_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CodeMapping(AuthorityOwned):
    """A local value and the census code it stands for, in one code list: for example the HR
    system's leaving reason "Resigned - personal" is ReasonLeave 1. Remembered for every later
    file. `local` is kept as first entered; files are compared with it ignoring case, spaces
    and punctuation (`key`)."""

    list = models.CharField(max_length=30)
    local = models.CharField("local value", max_length=120)
    key = models.CharField(max_length=120, editable=False)
    code = models.CharField(max_length=20)

    class Meta:
        ordering = ["list", "local"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "list", "key"], name="code_mapping_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local} → {self.code}"
