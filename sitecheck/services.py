"""Writes of the self-check: a run of the link checker and the job that makes one."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import job_create
from core.models import BackgroundJob
from sitecheck.links import check_addresses, site_links
from sitecheck.models import BrokenLink, LinkCheckRun

LINK_CHECK_JOB = "sitecheck.check_links"


def link_check_run(*, actor) -> LinkCheckRun:
    """Check every link the site shows (sitecheck.links) and record the run with one row per place
    a broken address was found (derived rows: no history; the run names who asked). The fetching
    runs outside any transaction (it takes minutes and holds no lock); the rows are written
    together at the end."""
    started_at = timezone.now()
    links = list(site_links())
    outcomes = check_addresses({link.url for link in links})
    checked_at = timezone.now()
    with transaction.atomic():
        run = LinkCheckRun(
            started_at=started_at, finished_at=checked_at, requested_by=actor, links_checked=len(outcomes)
        )
        broken = [
            BrokenLink(
                run=run,
                content_type=ContentType.objects.get_for_model(link.model),
                object_id=link.object_id,
                source=link.source,
                field=link.field,
                url=link.url,
                status=outcomes[link.url].status,
                error=outcomes[link.url].error,
                checked_at=checked_at,
            )
            for link in links
            if outcomes[link.url].broken
        ]
        run.broken_count = len(broken)
        run.full_clean()
        run.save()
        for row in broken:
            row.run = run
            row.full_clean()
        BrokenLink.objects.bulk_create(broken)
    return run


def link_check_start(*, actor) -> BackgroundJob:
    """Queue a run for `actor` (at once where there is no broker, as in `make run`)."""
    from sitecheck.tasks import check_links_job

    job = job_create(kind=LINK_CHECK_JOB, actor=actor)
    check_links_job.delay_on_commit(job.pk)
    return job


def link_check_summary(run: LinkCheckRun) -> str:
    return _("%(checked)d addresses checked, %(broken)d broken links found.") % {
        "checked": run.links_checked,
        "broken": run.broken_count,
    }
