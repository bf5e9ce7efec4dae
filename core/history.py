"""Who did it: every service that changes a row names its actor, and the history row says so."""

from django.dispatch import Signal
from simple_history.utils import bulk_create_with_history

from core.pagecache import content_changed

# Sent after bulk_create_recorded with `sender` the model and `objects` the rows written (with their
# keys): bulk_create sends no post_save, and what is derived from rows (the search index) follows.
rows_created = Signal()


def record_actor(instance, actor) -> None:
    """Make `actor` the author of the history row that the next save of `instance` writes.
    None means the system (a scheduled job, a migration); an anonymous visitor counts as None."""
    instance._history_user = actor if actor is not None and actor.is_authenticated else None


def bulk_create_recorded(model, objects: list, *, actor, batch_size: int = 500) -> list:
    """bulk_create that still writes one history row per object, authored by `actor`
    (a plain bulk_create skips the history)."""
    user = actor if actor is not None and actor.is_authenticated else None
    content_changed()  # bulk_create sends no post_save
    created = bulk_create_with_history(objects, model, batch_size=batch_size, default_user=user)
    rows_created.send(sender=model, objects=created)
    return created
