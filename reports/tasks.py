"""The report's files made by the job queue (run by Celery, or at once without a broker)."""

from celery import shared_task
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.jobs import job_result_save, job_run
from core.models import BackgroundJob
from reports.services import report_build, report_file

REPORT_FILE = "reports.report_file"


class ReportJobError(DomainError):
    error_messages = {
        "invalid": _("The report's period or unit is no longer valid for you. Please generate it again."),
    }


@shared_task
def report_file_job(job_id: int) -> None:
    """Make the .docx or .xlsx the job asks for, as its requester, within the requester's units
    (checked again here: a unit may have left the requester's scope since)."""
    job = BackgroundJob.objects.select_related("requested_by").get(pk=job_id, kind=REPORT_FILE)

    def work(job):
        form, figures, blocks = report_build(job.parameters["query"], job.requested_by)
        if figures is None:
            raise ReportJobError.for_code("invalid")
        content, _content_type, filename = report_file(
            job.parameters["kind"], form=form, figures=figures, blocks=blocks
        )
        job_result_save(job, filename, content)
        return _("The report is ready.")

    job_run(job, work)
