"""Background jobs: long work (imports, large PDFs) runs as a task and reports its progress.

A job function takes `job` plus the job's JSON params, calls `report` as it goes, and may
`attach` a file for download. `start_job` records the job and enqueues it on the task backend
(run at once in development and tests, by `manage.py db_worker` in production).
"""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django_tasks import task

from .models import Job

log = logging.getLogger("juwei.jobs")


def start_job(*, user, title: str, func: str, params: dict, community=None, next_url: str = "") -> Job:
    job = Job.objects.create(user=user, community=community, title=title, func=func, params=params,
                             next_url=next_url, language=translation.get_language() or "")
    run_job.enqueue(str(job.pk))
    job.refresh_from_db()
    return job


@task()
def run_job(job_id: str) -> None:
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            import_string(job.func)(job=job, **job.params)
    except Exception as exc:  # the job page must say what went wrong, whatever it was
        log.exception("job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, message=str(exc) or repr(exc),
                                             finished=timezone.now())
        return
    Job.objects.filter(pk=job.pk).exclude(status=Job.Status.FAILED).update(
        status=Job.Status.DONE, finished=timezone.now()
    )


def report(job: Job, *, done: int, total: int | None = None, message: str | None = None) -> None:
    """Record progress. A plain UPDATE, so a poll from another process sees it at once."""
    fields = {"done": done}
    if total is not None:
        fields["total"] = total
    if message is not None:
        fields["message"] = message
    Job.objects.filter(pk=job.pk).update(**fields)


def fail(job: Job, *, message: str, errors: list[str] | None = None) -> None:
    """End the job as failed with a message (and, for bad input, every error found)."""
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, message=message, errors=errors or [],
                                         finished=timezone.now())


def attach(job: Job, *, name: str, content: bytes) -> None:
    job.result.save(name, ContentFile(content), save=False)
    Job.objects.filter(pk=job.pk).update(result=job.result.name, result_name=name)
