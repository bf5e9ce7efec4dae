"""Background jobs of the activity records (run by Celery, or at once without a broker)."""

from functools import partial

from celery import shared_task

from campaigns.services import MAX_JOB_ROWS, activity_import, import_summary
from core.jobs import job_progress_report, job_run
from core.models import BackgroundJob
from units.scoping import units_for

ACTIVITY_IMPORT = "campaigns.activity_import"


@shared_task
def activity_import_job(job_id: int) -> None:
    """Import the job's workbook as its requester, within the requester's units, all or nothing."""
    job = BackgroundJob.objects.select_related("requested_by").get(pk=job_id, kind=ACTIVITY_IMPORT)

    def work(job):
        with job.file.open("rb") as workbook_file:
            created, skipped = activity_import(
                workbook_file=workbook_file,
                units=units_for(job.requested_by),
                actor=job.requested_by,
                limit=MAX_JOB_ROWS,
                progress=partial(job_progress_report, job.pk),
            )
        return import_summary(created, skipped)

    job_run(job, work)
