"""The site search: keeping the index true, and asking it.

The index follows the items in the same transaction: a save or delete of an item, or of a row that
changes one (an exhibition section, an attachment, a campaign's publication), re-derives its entry
through the receivers connected here, the project's second set of signal receivers beside the page
cache's (core/apps.py). A rolled-back edit rolls its entry back with it; an item unpublished is gone
from the results at once. `index_rebuild` derives the whole index again (the management command
`rebuild_search_index`).

`search()` is the one entry point for asking: the page, and any app that wants results, call it
with the user, so that what a user finds is what `publications.audiences_for` lets them read."""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQueryField, SearchRank
from django.db import connection, transaction
from django.db.models import BooleanField, Case, Count, F, Func, IntegerField, Q, Value, When
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save

from core.history import rows_created
from publications.models import audiences_for
from search import text
from search.models import Entry, Section
from search.sources import SOURCES, Source

BATCH = 2000


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _entries(source: Source, items) -> list[Entry]:
    content_type = ContentType.objects.get_for_model(source.model)
    entries = []
    for item in items:
        document = source.document(item)
        entries.append(
            Entry(
                content_type=content_type,
                object_id=item.pk,
                section=document.section,
                audience=document.audience,
                title=document.title[:300],
                text=document.text[: text.MAX_INDEXED_CHARACTERS],
                url=document.url,
                date=document.date,
                vector=text.vector_literal(document.title, document.text) if _postgres() else None,
            )
        )
    return entries


def index_sync(source: Source, keys: list[int]) -> None:
    """Make the entries of these items of `source` what the site shows now: written again for the
    items shown, removed for the others (unpublished, deleted)."""
    content_type = ContentType.objects.get_for_model(source.model)
    with transaction.atomic():
        for start in range(0, len(keys), BATCH):
            chunk = keys[start : start + BATCH]
            Entry.objects.filter(content_type=content_type, object_id__in=chunk).delete()
            Entry.objects.bulk_create(_entries(source, source.shown().filter(pk__in=chunk)), batch_size=500)


def index_rebuild(*, progress=None) -> int:
    """Derive the whole index again in one transaction (searches meanwhile use the old one)."""
    written = 0
    with transaction.atomic():
        Entry.objects.all().delete()
        for source in SOURCES:
            batch = []
            for item in source.shown().order_by("pk").iterator(chunk_size=BATCH):
                batch.append(item)
                if len(batch) == BATCH:
                    written += len(Entry.objects.bulk_create(_entries(source, batch), batch_size=500))
                    batch = []
                    if progress:
                        progress(written)
            written += len(Entry.objects.bulk_create(_entries(source, batch), batch_size=500))
    if progress:
        progress(written)
    return written


def connect_signals() -> None:
    for source in SOURCES:
        # Closures connected with weak=False: a signal keeps weak references by default.
        def saved(sender, instance, source=source, **kwargs):
            index_sync(source, [instance.pk])

        def bulk(sender, objects, source=source, **kwargs):
            index_sync(source, [item.pk for item in objects])

        post_save.connect(saved, sender=source.model, weak=False, dispatch_uid=f"search-save-{source.model._meta}")
        post_delete.connect(saved, sender=source.model, weak=False, dispatch_uid=f"search-del-{source.model._meta}")
        rows_created.connect(bulk, sender=source.model, weak=False, dispatch_uid=f"search-bulk-{source.model._meta}")
        for model, keys_of in source.follows.items():

            def follow(sender, instance, source=source, keys_of=keys_of, **kwargs):
                index_sync(source, keys_of(instance))

            uid = f"search-{source.model._meta}-follows-{model._meta}"
            post_save.connect(follow, sender=model, weak=False, dispatch_uid=f"{uid}-save")
            post_delete.connect(follow, sender=model, weak=False, dispatch_uid=f"{uid}-del")


# Asking ----------------------------------------------------------------------------------------


@dataclass
class Results:
    words: list[str]
    # (section, label, count) for every 栏目 with results, in the order of Section.
    sections: list[tuple[str, str, int]] = field(default_factory=list)
    total: int = 0

    def count(self, section: str) -> int:
        if not section:
            return self.total
        return next((count for code, _label, count in self.sections if code == section), 0)


def _matches(words: list[str]):
    """The entries containing every word, and the expression that ranks them."""
    if _postgres():
        query = Cast(Value(text.tsquery_literal(words)), output_field=SearchQueryField())
        matched = Func(F("vector"), query, arg_joiner=" @@ ", template="%(expressions)s", output_field=BooleanField())
        # Cover density: the words close together (2021年第4期 as written) rank above the same
        # words scattered; title words (A) count 2.5 times body words (B).
        rank = SearchRank(F("vector"), query, weights=[0.1, 0.2, 0.4, 1.0], cover_density=True)
        return Entry.objects.filter(matched), rank
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(text__icontains=word)
    rank = Case(When(title__icontains=words[0], then=Value(1)), default=Value(0), output_field=IntegerField())
    return Entry.objects.filter(condition), rank


def search(*, user, words: list[str], since: datetime.date | None = None):
    """The entries `user` may find for `words` (from search.text.query_words), with their counts
    per 栏目, and a function giving one 栏目's (or all) entries best first."""
    if not words:
        return Results(words=[]), lambda section: Entry.objects.none()
    entries, rank = _matches(words)
    entries = entries.filter(audience__in=audiences_for(user))
    if since is not None:
        entries = entries.filter(date__gte=since)
    counts = dict(entries.values_list("section").annotate(count=Count("pk")).order_by())
    results = Results(
        words=words,
        sections=[(code, label, counts[code]) for code, label in Section.choices if counts.get(code)],
        total=sum(counts.values()),
    )

    def ranked(section: str = ""):
        chosen = entries.filter(section=section) if section else entries
        return chosen.annotate(rank=rank).order_by("-rank", F("date").desc(nulls_last=True), "-pk")

    return results, ranked
