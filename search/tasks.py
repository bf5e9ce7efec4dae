"""The search index rebuilt by the job queue (run by Celery, or at once without a broker)."""

import logging

from celery import shared_task

from search.services import index_rebuild

logger = logging.getLogger(__name__)


@shared_task
def rebuild_search_index() -> int:
    """Derive the whole index again (`manage.py rebuild_search_index --in-background`)."""
    written = index_rebuild()
    logger.info("Search index rebuilt: %s items", written)
    return written
