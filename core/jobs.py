"""Background jobs: work that takes longer than a request (an import of tens of thousands of rows)
runs in a Celery worker (config/celery.py), with the row in core.models.BackgroundJob and its
progress in the shared cache. Without a broker (`make run`, the tests) a job runs at once, inside
the request that asked for it, so the same code path is exercised everywhere."""

import logging

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.models import BackgroundJob

logger = logging.getLogger(__name__)


def job_create(*, kind: str, actor, file=None, parameters: dict | None = None) -> BackgroundJob:
    """Store the uploaded `file` privately (if any) with the `parameters`, and queue nothing yet:
    the caller enqueues its task with `.delay_on_commit(job.pk)`, so a worker never looks for a
    row that is not committed."""
    job = BackgroundJob(kind=kind, requested_by=actor, parameters=parameters or {})
    if file is not None:
        job.file.save(file.name.rsplit("/", 1)[-1], file, save=False)
    job.save()
    return job


def job_result_save(job: BackgroundJob, name: str, content: bytes) -> None:
    """Keep the file a job made (saved with the job's row when the job ends)."""
    job.result.save(name, ContentFile(content), save=False)
    job.result_name = name


def _progress_key(job_id: int) -> str:
    return f"job:{job_id}:progress"


def job_progress_report(job_id: int, done: int, total: int) -> None:
    cache.set(_progress_key(job_id), (done, total), timeout=3600)


def job_progress(job: BackgroundJob) -> tuple[int, int] | None:
    """(rows done, rows in all) while the job runs, or None."""
    return cache.get(_progress_key(job.pk))


def job_run(job: BackgroundJob, work) -> None:
    """Run `work(job)`, which returns the message to show, and record how it ended. A DomainError
    (a refused file, with its reasons) ends the job as failed with that message; anything else is
    a bug: the job fails with a generic message and the error is logged. The file is deleted
    either way: it held personal data and has served its purpose."""
    job.status = BackgroundJob.Status.RUNNING
    job.save(update_fields=["status"])
    try:
        job.message = str(work(job))
        job.status = BackgroundJob.Status.DONE
    except DomainError as error:
        job.message, job.status = error.message, BackgroundJob.Status.FAILED
    except Exception:
        logger.exception("Background job %s failed", job)
        job.message = str(
            _("The job stopped on an internal error, which has been logged. Please tell the administrator.")
        )
        job.status = BackgroundJob.Status.FAILED
    finally:
        job.finished_at = timezone.now()
        job.file.delete(save=False)
        job.save(update_fields=["status", "message", "finished_at", "file", "result", "result_name"])
        cache.delete(_progress_key(job.pk))
