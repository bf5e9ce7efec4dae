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
import itertools
import math
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQueryField, SearchRank
from django.db import connection, transaction
from django.db.models import BooleanField, Case, Count, F, FloatField, Func, Q, Value, When
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save

from core.history import rows_created
from publications.models import audiences_for
from search import text
from search.models import Entry, Section
from search.sources import SOURCES, Source

BATCH = 2000
UNIQUE = ["content_type", "object_id"]
DERIVED = ["section", "audience", "title", "title_key", "text", "url", "date", "vector"]


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
                title_key=text.title_key(document.title)[:300],
                text=document.text[: text.MAX_INDEXED_CHARACTERS],
                url=document.url,
                date=document.date,
                vector=text.vector_literal(document.title, document.text) if _postgres() else None,
            )
        )
    return entries


def _batches(items, size: int = BATCH):
    """Lists of at most `size` of `items`, read lazily (itertools.batched from Python 3.12)."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def index_sync(source: Source, keys: list[int]) -> None:
    """Make the entries of these items of `source` what the site shows now: written again for the
    items shown, removed for the others (unpublished, deleted)."""
    content_type = ContentType.objects.get_for_model(source.model)
    with transaction.atomic():
        for chunk in _batches(keys):
            entries = _entries(source, source.shown().filter(pk__in=chunk))
            shown = [entry.object_id for entry in entries]
            Entry.objects.filter(content_type=content_type, object_id__in=chunk).exclude(object_id__in=shown).delete()
            # Written over in place: two transactions deriving one item at once (two attachments of
            # one publication saved together) meet on the unique key instead of failing on it.
            Entry.objects.bulk_create(
                entries, batch_size=500, update_conflicts=True, unique_fields=UNIQUE, update_fields=DERIVED
            )


def index_rebuild(*, progress=None) -> int:
    """Derive the whole index again in one transaction (searches meanwhile use the old one)."""
    written = 0
    with transaction.atomic():
        Entry.objects.all().delete()
        for source in SOURCES:
            for batch in _batches(source.shown().order_by("pk").iterator(chunk_size=BATCH)):
                written += len(Entry.objects.bulk_create(_entries(source, batch), batch_size=500))
                if progress:
                    progress(written)
    if _postgres():
        # Fresh statistics for the planner after the bulk write and, outside a transaction, the
        # space of the rows replaced made reusable (a broad search reads every page of the table).
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(f"{command} {Entry._meta.db_table}")
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
    # The entries of the page asked for (the last page when it asked beyond), best first.
    hits: list[Entry] = field(default_factory=list)
    page: int = 1

    def count(self, section: str = "") -> int:
        if not section:
            return self.total
        return next((count for code, _label, count in self.sections if code == section), 0)


def _matches(words: list[str]):
    """The entries containing every word, and the expression that ranks them: an item whose title
    is what was asked (a base's name) first, then by SearchRank."""
    asked = Q(title_key=text.title_key("".join(words)))
    if _postgres():
        query = Cast(Value(text.tsquery_literal(words)), output_field=SearchQueryField())
        matched = Func(F("vector"), query, arg_joiner=" @@ ", template="%(expressions)s", output_field=BooleanField())
        # Title words (A) count 2.5 times body words (B); more occurrences rank higher.
        rank = SearchRank(F("vector"), query, weights=[0.1, 0.2, 0.4, 1.0]) + Case(
            When(asked, then=Value(10.0)), default=Value(0.0), output_field=FloatField()
        )
        return Entry.objects.filter(matched), rank
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(text__icontains=word)
    rank = Case(
        When(asked, then=Value(2.0)),
        When(title__icontains=words[0], then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return Entry.objects.filter(condition), rank


def _counts_and_page(entries, rank, section: str, offset: int, limit: int) -> tuple[dict[str, int], list[int]]:
    """The matches counted per 栏目, and the keys of one page of them best first.

    On PostgreSQL in one statement: the matches are found and ranked once, then counted and
    ordered (a broad query such as 廉洁 matches tens of thousands of entries, and a second pass
    over them for the page would double the time)."""
    if not _postgres():
        counts = dict(entries.values_list("section").annotate(count=Count("pk")).order_by())
        chosen = entries.filter(section=section) if section else entries
        ordered = chosen.annotate(rank=rank).order_by("-rank", F("date").desc(nulls_last=True), "-pk")
        return counts, list(ordered.values_list("pk", flat=True)[offset : offset + limit])
    matched = entries.annotate(rank=rank).values_list("pk", "section", "date", "rank")
    matched_sql, params = matched.query.sql_with_params()
    # Composed of SQL that Django compiled (its values are parameters) and constants.
    statement = f"""
        WITH matched (id, section, date, rank) AS MATERIALIZED ({matched_sql})
        SELECT section, count(*), NULL, NULL, NULL FROM matched GROUP BY section
        UNION ALL
        (SELECT NULL, NULL, id, rank, date FROM matched WHERE %s IN ('', section)
         ORDER BY rank DESC, date DESC NULLS LAST, id DESC LIMIT %s OFFSET %s)
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, section, limit, offset])
        rows = cursor.fetchall()
    counts = {code: count for code, count, _key, _rank, _date in rows if code is not None}
    page = [(key, rank, date) for code, _count, key, rank, date in rows if code is None]
    # The same order again here: a UNION does not promise to keep its parts' order.
    page.sort(key=lambda row: (-row[1], row[2] is None, -(row[2].toordinal() if row[2] else 0), -row[0]))
    return counts, [key for key, _rank, _date in page]


def search(
    *, user, words: list[str], since: datetime.date | None = None, section: str = "", page: int = 1, per_page: int = 20
) -> Results:
    """What `user` may find for `words` (from search.text.query_words): the counts per 栏目, and
    one page of one 栏目 (or of all) best first — title words above body words, newer first
    among equals."""
    if not words:
        return Results(words=[])
    entries, rank = _matches(words)
    entries = entries.filter(audience__in=audiences_for(user))
    if since is not None:
        entries = entries.filter(date__gte=since)
    page = max(page, 1)
    counts, keys = _counts_and_page(entries, rank, section, (page - 1) * per_page, per_page)
    found = counts.get(section, 0) if section else sum(counts.values())
    last = max(math.ceil(found / per_page), 1)
    if page > last:  # a page number beyond the end (an old link): the last page
        page = last
        counts, keys = _counts_and_page(entries, rank, section, (page - 1) * per_page, per_page)
    by_key = Entry.objects.defer("vector").in_bulk(keys)
    return Results(
        words=words,
        sections=[(code, label, counts[code]) for code, label in Section.choices if counts.get(code)],
        total=sum(counts.values()),
        hits=[by_key[key] for key in keys if key in by_key],
        page=page,
    )
