"""The residents file: upload, preview and confirm an import (a background job), the template, the export."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.access import STAFF, community_ids, staff_required
from org.jobs import start_job
from org.models import Job, SensitiveAccess
from org.services import log_sensitive_access

from ..forms import ExportForm, ImportForm
from ..resources import column_guide
from ..services.exporting import export_residents, import_template
from ..services.importing import IMPORT_JOB, IMPORT_UPLOADS
from ._common import _community

# --- import and export -------------------------------------------------------------------------

@staff_required(roles=STAFF)
def import_upload(request):
    community = _community(request, STAFF)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
        path = default_storage.save(f"{IMPORT_UPLOADS}/{uuid.uuid4().hex}{suffix}", upload)
        job = start_job(user=request.user, title=_("居民名单预检：%(name)s") % {"name": upload.name},
                        func=IMPORT_JOB, community=community,
                        params={"path": path, "community_id": community.pk, "dry_run": True,
                                "user_id": request.user.pk, "file_name": upload.name})
        Job.objects.filter(pk=job.pk).update(next_url=reverse("residents:import_preview", args=[job.pk]))
        return redirect("residents:import_preview", job.pk)
    return render(request, "residents/import.html", {"form": form, "community": community,
                                                     "columns": column_guide()})


@staff_required(roles=STAFF)
def import_template_download(request):
    """The empty residents file (XLSX, ID number and phone columns formatted as text) to fill in and import."""
    _community(request, STAFF)
    response = HttpResponse(import_template(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="residents-template.xlsx"'
    return response


def _import_job(request, pk) -> Job:
    job = Job.objects.filter(pk=pk, user=request.user, func=IMPORT_JOB).first()
    if job is None:
        raise Http404
    if job.community_id not in community_ids(request.user, STAFF):
        raise PermissionDenied
    return job


@staff_required(roles=STAFF)
def import_preview(request, pk):
    """The dry run's outcome: every error by row and column, or the summary and a confirm button."""
    job = _import_job(request, pk)
    return render(request, "residents/import_preview.html", {"job": job, "file_name": job.params.get("file_name")})


@require_POST
@staff_required(roles=STAFF)
def import_confirm(request, pk):
    preview = _import_job(request, pk)
    if not preview.params.get("dry_run") or preview.status != Job.Status.DONE:
        messages.error(request, _("预检未通过，不能导入"))
        return redirect("residents:import_preview", pk)
    if not default_storage.exists(preview.params["path"]):
        messages.error(request, _("该文件已导入或已过期，请重新上传"))
        return redirect("residents:import")
    job = start_job(user=request.user, title=_("导入居民名单：%(name)s") % {"name": preview.params["file_name"]},
                    func=IMPORT_JOB, community=preview.community,
                    params={**preview.params, "dry_run": False},
                    next_url=reverse("residents:index"))
    return redirect("job_detail", job.pk)


@staff_required(roles=STAFF)
def export(request):
    """The registry as a file, for a reason that goes on the sensitive-access record (a POST: it writes)."""
    community = _community(request, STAFF)
    form = ExportForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "residents/export.html", {"form": form, "community": community, "can_edit": True})
    file_format = form.cleaned_data["format"]
    log_sensitive_access(user=request.user, community=community, action=SensitiveAccess.Action.EXPORT,
                         subject=_("居民名单（%(n)s 人）") % {"n": community.residents.count()},
                         reason=form.cleaned_data["reason"])
    response = HttpResponse(export_residents(community=community, file_format=file_format),
                            content_type="text/csv; charset=utf-8" if file_format == "csv" else
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="residents-{community.code}-{stamp}.{file_format}"'
    return response
