import pytest
from django.utils import translation
from django.utils.translation import gettext

from org.jobs import attach, fail, report, run_job, start_job
from org.models import Job

pytestmark = pytest.mark.django_db


def count_to(*, job, n):
    for i in range(1, n + 1):
        report(job, done=i, total=n)
    attach(job, name="count.txt", content=f"{n}".encode())


def broken(*, job):
    raise ValueError("第 3 行 身份证号: 校验位错误")


def refused(*, job):
    fail(job, message="文件有错误", errors=["第 2 行 姓名: 必填"])


def says_done(*, job):
    report(job, done=1, total=1, message=gettext("已完成"))


def test_it_writes_a_jobs_messages_in_the_language_of_who_started_it(committee_user, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    with translation.override("en"):
        job = start_job(user=committee_user, title="完成", func="tests.org.test_jobs.says_done", params={})
    with translation.override("zh-hans"):  # a worker process, whatever language it runs in
        run_job.call(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.language, job.message) == (Job.Status.DONE, "en", "Completed")


def test_it_runs_a_job_reports_progress_and_offers_the_download(login, committee_user):
    job = start_job(user=committee_user, title="数数", func="tests.org.test_jobs.count_to", params={"n": 3})
    assert (job.status, job.done, job.total, job.percent) == (Job.Status.DONE, 3, 3, 100)
    client = login(committee_user)
    assert "count.txt" in client.get(f"/jobs/{job.pk}/").content.decode()
    response = client.get(f"/jobs/{job.pk}/download/")
    assert b"".join(response.streaming_content) == b"3"
    assert "no-store" in response["Cache-Control"]


def test_it_records_why_a_job_failed(committee_user):
    job = start_job(user=committee_user, title="坏", func="tests.org.test_jobs.broken", params={})
    assert job.status == Job.Status.FAILED
    assert "校验位错误" in job.message


def test_it_keeps_every_error_of_a_refused_job(committee_user):
    job = start_job(user=committee_user, title="拒绝", func="tests.org.test_jobs.refused", params={})
    assert (job.status, job.errors) == (Job.Status.FAILED, ["第 2 行 姓名: 必填"])


def test_it_polls_with_a_partial_while_running(login, committee_user):
    job = Job.objects.create(user=committee_user, title="进行中", func="x", status=Job.Status.RUNNING, done=1, total=4)
    response = login(committee_user).get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert "<html" not in body
    assert "25%" in body


def test_it_hides_a_job_from_other_users(login, committee_user, street_staff):
    job = start_job(user=committee_user, title="数数", func="tests.org.test_jobs.count_to", params={"n": 1})
    assert login(street_staff).get(f"/jobs/{job.pk}/").status_code == 404
    assert login(street_staff).get(f"/jobs/{job.pk}/download/").status_code == 404
