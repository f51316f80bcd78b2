"""Import of a residents file into one community: validate every row in bulk, then write set-based.

The per-row path of django-import-export runs a few queries per row (about 20 rows/s on large
files), and its bulk mode cannot tie an error to a row. So the columns and cell parsing come from
ResidentResource (the same widgets the export renders with), while import_files reads every row,
import_checks checks every rule of docs/formats.md (Residents file) against data preloaded in a few queries, and
only when the whole file is clean this module writes it with bulk inserts and updates that keep the audit trail.
All or nothing; rows match existing residents on the ID number, and a row that changes nothing writes nothing.
The background job of the upload page (run_import_job, IMPORT_JOB) and the purge of its uploads are here too.
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from org.models import Community

from ..bulk import insert_with_history
from ..models import (
    Household,
    Living,
    Relation,
    Representative,
    RepresentativeEnd,
    Resident,
    ResidentGroup,
    ResidentLabel,
)
from . import pinyin_of
from .import_checks import (
    Existing,
    Problems,
    Progress,
    Row,
    _check_across_rows,
    _check_header,
    _load_existing,
    _parse_rows,
    row_error,
)
from .import_files import FileUnreadable, read_table

CHANGE_REASON = "导入居民名单"
BATCH = 2000
RESIDENT_FIELDS = ("name", "sex", "birth_date", "household_id", "relation", "group_id", "address", "registration",
                   "living", "move_in_date", "deprived", "election_wish", "phone", "ethnicity", "political",
                   "education")
CREATE_COLUMNS = ("community_id", "household_id", "relation", "group_id", "name", "name_pinyin", "id_number", "sex",
                  "birth_date", "address", "registration", "living", "move_in_date", "deprived", "election_wish",
                  "phone", "ethnicity", "political", "education", "version")
NEW_DEFAULTS = {"address": "", "move_in_date": None, "deprived": False, "election_wish": "", "phone": "",
                "ethnicity": "", "political": "", "education": ""}
OPTIONAL_FIELDS = {"address": "地址", "move_in_date": "入住日期", "deprived": "政治权利",
                   "election_wish": "参选意愿", "phone": "联系电话", "ethnicity": "民族", "political": "政治面貌",
                   "education": "文化程度"}


@dataclass
class ImportReport:
    """What an import found and did (or, on a dry run or with errors, would have done)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    groups_created: int = 0
    households_created: int = 0
    labels_added: int = 0
    labels_closed: int = 0
    dry_run: bool = False
    errors: list[str] = field(default_factory=list)
    error_count: int = 0  # every error found; `errors` lists the first MAX_ERRORS of them (and how many more)
    # What was read otherwise than written and the clerk should know, e.g. a 15-digit number stored as 18 digits.
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return ngettext("发现 %(count)s 处错误，未写入任何数据", "发现 %(count)s 处错误，未写入任何数据",
                            self.error_count) % {"count": self.error_count}
        counts = {"rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                  "groups": self.groups_created, "households": self.households_created,
                  "labels_added": self.labels_added, "labels_closed": self.labels_closed}
        if self.dry_run:
            return _("共 %(rows)s 行：预检通过，将新增 %(created)s 人，更新 %(updated)s 人，%(unchanged)s 人无变化；"
                     "新建居民小组 %(groups)s 个、户 %(households)s 户；"
                     "标签新增 %(labels_added)s 个、结束 %(labels_closed)s 个") % counts
        return _("共 %(rows)s 行：已新增 %(created)s 人，更新 %(updated)s 人，%(unchanged)s 人无变化；"
                 "新建居民小组 %(groups)s 个、户 %(households)s 户；"
                 "标签新增 %(labels_added)s 个、结束 %(labels_closed)s 个") % counts

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("rows", "created", "updated", "unchanged", "groups_created",
                                               "households_created", "labels_added", "labels_closed",
                                               "dry_run", "errors", "error_count", "notices")}


# --- writing -----------------------------------------------------------------------------------

def _resident_values(row: Row, household_id, group_id, given: set[str], current: Resident | None) -> dict:
    values = {"name": row.name, "sex": row.sex, "birth_date": row.birth_date, "household_id": household_id,
              "relation": row.relation, "group_id": group_id, "registration": row.registration,
              "living": row.living}
    for attr, header in OPTIONAL_FIELDS.items():
        if header in given:
            values[attr] = getattr(row, attr)
        elif current is not None:
            values[attr] = getattr(current, attr)  # a column the file does not have leaves the value alone
    return values


def import_residents(*, path_or_file, community: Community, dry_run: bool = False, user=None,
                     progress: Progress | None = None) -> ImportReport:
    """Validate the whole file; if it is clean and not a dry run, write it in one transaction."""
    report = ImportReport(dry_run=dry_run)
    try:
        table = read_table(path_or_file)
    except FileUnreadable as exc:
        report.errors, report.error_count = [row_error(1, _("文件"), str(exc))], 1
        return report
    problems = Problems(table.header)
    index = _check_header(table.header, table.header_row, problems)
    if problems:  # with wrong columns, every row would only repeat the same mistake
        report.errors, report.error_count = problems.messages(), problems.count
        return report
    try:
        rows = _parse_rows(table, index, problems, report.notices, progress)
    except FileUnreadable as exc:
        report.errors, report.error_count = [row_error(1, _("文件"), str(exc))], 1
        return report
    report.rows = len(rows)
    if progress:
        progress(0, len(rows), _("正在核对已有数据"))
    existing = _load_existing(community, rows)
    _check_across_rows(rows, existing, problems)
    if problems:
        report.errors, report.error_count = problems.messages(), problems.count
        return report
    try:
        with transaction.atomic():
            _write(rows, set(index), existing, community, report, user=user, progress=progress)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError:  # another clerk changed the registry between our check and our write
        # The database's own words name a constraint, never shown to a clerk.
        report.errors = [row_error(1, _("文件"), _("写入时与其他修改冲突，未写入任何数据，请重试"))]
        report.error_count = 1
    return report


def _write(rows: list[Row], given: set[str], existing: Existing, community: Community, report: ImportReport,
           *, user, progress: Progress | None) -> None:
    today = timezone.localdate()
    history = {"default_user": user, "default_change_reason": CHANGE_REASON, "batch_size": BATCH}

    new_groups = [ResidentGroup(community=community, name=name)
                  for name in dict.fromkeys(r.group_name for r in rows) if name not in existing.groups]
    bulk_create_with_history(new_groups, ResidentGroup, **history)
    report.groups_created = len(new_groups)
    groups = existing.groups | {g.name: g for g in new_groups}

    # A household's address is its head's (or, without a head in the file, its first row's).
    address_of: dict[str, str] = {}
    for row in rows:
        if row.relation == Relation.HEAD or row.household_number not in address_of:
            address_of[row.household_number] = row.address
    new_households = [(community.pk, n, a if "地址" in given else "")
                      for n, a in address_of.items() if n not in existing.households]
    household_pks = {n: h.pk for n, h in existing.households.items()}
    household_pks |= insert_with_history(Household, ("community_id", "number", "address"), new_households,
                                         key="number", scope=Household.objects.filter(community=community),
                                         user=user, reason=CHANGE_REASON)
    report.households_created = len(new_households)
    if "地址" in given:
        moved_address = []
        for number, address in address_of.items():
            household = existing.households.get(number)
            if household and household.address != address:
                household.address = address
                moved_address.append(household)
        bulk_update_with_history(moved_address, Household, ["address"], **history)
    if progress:
        progress(0, len(rows), _("正在写入"))

    to_create, to_update, demote_first = [], [], []
    row_of: dict[str, Row] = {}
    for row in rows:
        row_of[row.id_number] = row
        current = existing.residents.get(row.id_number)
        values = _resident_values(row, household_pks[row.household_number], groups[row.group_name].pk,
                                  given, current)
        if current is None:
            values |= {"community_id": community.pk, "id_number": row.id_number, "name_pinyin": pinyin_of(row.name),
                       "version": 1}
            to_create.append(tuple(values.get(c, NEW_DEFAULTS.get(c)) for c in CREATE_COLUMNS))
            continue
        changed = [f for f in RESIDENT_FIELDS if getattr(current, f) != values[f]]
        if not changed:
            continue
        if current.relation == Relation.HEAD and ("relation" in changed or "household_id" in changed):
            demote_first.append(current)
        if "name" in changed:
            current.name_pinyin = pinyin_of(row.name)
        for f in changed:
            setattr(current, f, values[f])
        current.version += 1
        to_update.append(current)

    # The one-head constraint is checked row by row: take the head role away from every changed head
    # first, so a swap of heads (or a head moving into another household) never meets a second head.
    if demote_first:
        Resident.objects.filter(pk__in=[r.pk for r in demote_first]).update(relation=Relation.OTHER)
    fields = [*RESIDENT_FIELDS, "name_pinyin", "version"]
    bulk_update_with_history(to_update, Resident, fields, **history)
    report.updated = len(to_update)
    if progress:
        progress(report.updated, len(rows), _("正在写入"))
    created = insert_with_history(Resident, CREATE_COLUMNS, to_create, key="id_number", scope=Resident.objects.all(),
                                  user=user, reason=CHANGE_REASON)
    report.created = len(to_create)
    report.unchanged = len(rows) - report.created - report.updated
    if progress:
        progress(len(rows), len(rows), _("正在写入"))

    _close_representatives_of_leavers(to_update, today, user)
    if "人群标签" in given:
        resident_pks = {r.id_number: r.pk for r in existing.residents.values()} | created
        _sync_labels(rows, resident_pks, existing, today, report, history)


def _close_representatives_of_leavers(updated: list[Resident], today: datetime.date, user) -> None:
    """Someone who moved away or died is no longer a representative."""
    gone = {r.pk for r in updated if r.living in (Living.MOVED, Living.DECEASED)}
    if not gone:
        return
    terms = list(Representative.objects.filter(resident_id__in=gone, ends__isnull=True))
    for term in terms:
        term.ends = max(today, term.starts)
        term.ended_by = RepresentativeEnd.MOVED
    bulk_update_with_history(terms, Representative, ["ends", "ended_by"], default_user=user,
                             default_change_reason=CHANGE_REASON)


def _sync_labels(rows: list[Row], resident_pks: dict[str, int], existing: Existing, today, report, history) -> None:
    """Open the labels the file names and close (never delete) the open ones it no longer names."""
    to_add, to_close = [], []
    for row in rows:
        pk = resident_pks[row.id_number]
        held = existing.labels.get(pk, {})
        to_add.extend((pk, label, today, None, "") for label in row.labels - held.keys())
        for label, record in held.items():
            if label not in row.labels:
                record.ends = max(today, record.starts) if record.starts else today
                to_close.append(record)
    bulk_update_with_history(to_close, ResidentLabel, ["ends"], **history)
    # Set-based, like the residents: bulk_create_with_history spent more on thousands of labels than the rest.
    insert_with_history(ResidentLabel, ("resident_id", "label", "starts", "ends", "note"), to_add,
                        key=("resident_id", "label", "ends"), scope=ResidentLabel.objects.all(),
                        user=history["default_user"], reason=CHANGE_REASON)
    report.labels_added, report.labels_closed = len(to_add), len(to_close)


# --- background job ----------------------------------------------------------------------------

def run_import_job(*, job, path: str, community_id: int, dry_run: bool, user_id: int | None = None,
                   file_name: str = "") -> None:
    """Job function (org.jobs) for the upload page: a dry run for the preview, or the confirmed import."""
    from django.contrib.auth import get_user_model
    from django.core.files.storage import default_storage

    from org import jobs

    user = get_user_model().objects.filter(pk=user_id).first()
    community = Community.objects.get(pk=community_id)
    keep = False  # the uploaded registry is personal data: kept only while a clean preview awaits confirmation
    try:
        with default_storage.open(path, "rb") as handle:
            report = import_residents(path_or_file=handle, community=community, dry_run=dry_run, user=user,
                                      progress=lambda done, total, message: jobs.report(job, done=done, total=total,
                                                                                       message=message))
        if not report.ok:
            jobs.fail(job, message=report.summary(), errors=report.errors)
            return
        jobs.report(job, done=report.rows, total=report.rows, message=report.summary())
        if report.notices:  # a successful job has no errors: its list carries what the preview must tell the clerk
            type(job).objects.filter(pk=job.pk).update(errors=report.notices)
        keep = dry_run
    finally:
        if not keep:
            default_storage.delete(path)
    if keep:
        _queue_purge()


# The name org.jobs runs the import by (Job.func), derived so that a rename cannot leave a stale string.
IMPORT_JOB = f"{run_import_job.__module__}.{run_import_job.__name__}"

IMPORT_UPLOADS = "residents/imports"
# A clean preview waits this long for its confirmation; then the upload is deleted (purge_import_files).
IMPORT_UPLOAD_LIFETIME = datetime.timedelta(hours=24)


def _queue_purge() -> None:
    """Have the task worker delete this preview's upload when it expires, if nobody confirmed it by then. Where
    tasks run at once and cannot wait (development), the daily `purge_import_files` does it."""
    from django_tasks import default_task_backend

    from ..tasks import purge_import_files

    if default_task_backend.supports_defer:
        later = timezone.now() + IMPORT_UPLOAD_LIFETIME + datetime.timedelta(minutes=5)
        purge_import_files.using(run_after=later).enqueue()


def purge_import_uploads(*, older_than: datetime.timedelta) -> int:
    """Delete uploads whose preview was never confirmed (run daily: `purge_import_files`); how many went."""
    from django.core.files.storage import default_storage

    if not default_storage.exists(IMPORT_UPLOADS):
        return 0
    cutoff = timezone.now() - older_than
    _dirs, names = default_storage.listdir(IMPORT_UPLOADS)
    old = [f"{IMPORT_UPLOADS}/{name}" for name in names
           if default_storage.get_modified_time(f"{IMPORT_UPLOADS}/{name}") < cutoff]
    for path in old:
        default_storage.delete(path)
    return len(old)
