"""The link checker as a background job (the dashboard's button) and as the weekly run
(config/settings.py CELERY_BEAT_SCHEDULE; without a broker, cron runs `manage.py check_links`)."""

from celery import shared_task

from core.jobs import job_run
from core.models import BackgroundJob
from sitecheck.services import LINK_CHECK_JOB, link_check_run, link_check_summary


@shared_task
def check_links_job(job_id: int) -> None:
    job = BackgroundJob.objects.select_related("requested_by").get(pk=job_id, kind=LINK_CHECK_JOB)
    job_run(job, lambda job: link_check_summary(link_check_run(actor=job.requested_by)))


@shared_task
def check_links_weekly() -> None:
    link_check_run(actor=None)
