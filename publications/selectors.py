from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from publications.models import Audience, Distribution, Placement, Publication, ReadReceipt
from units.models import Membership, Unit
from units.scoping import ALL_UNITS, user_scope
from units.selectors import roster_counts


def read_rate_items(user):
    """The items whose read rates `user` may see; the figures themselves always count only the
    cadres of the user's own subtree (see read_rates).

    Administrators: every item. Unit staff: the items issued within their subtree, the items
    distributed to a unit of it, and every published restricted item — a restricted item is
    addressed to the cadres (or staff) of the whole city, so its readers include theirs, whoever
    issued it. Anyone else (cadres, the public): nothing."""
    scope = user_scope(user)
    if scope == ALL_UNITS:
        return Publication.objects.all()
    if scope is None:
        return Publication.objects.none()
    return Publication.objects.filter(
        Q(issuing_unit__path__startswith=scope.path)
        | Exists(Distribution.objects.filter(publication=OuterRef("pk"), unit__path__startswith=scope.path))
        | (Q(is_published=True) & ~Q(audience=Audience.PUBLIC))
    )


def ledger_items(user):
    """The items whose distribution ledger `user` may open: administrators every item; unit
    staff the items issued within their subtree and those distributed to a unit of it."""
    scope = user_scope(user)
    if scope == ALL_UNITS:
        return Publication.objects.all()
    if scope is None:
        return Publication.objects.none()
    return Publication.objects.filter(
        Q(issuing_unit__path__startswith=scope.path)
        | Exists(Distribution.objects.filter(publication=OuterRef("pk"), unit__path__startswith=scope.path))
    )


def sees_whole_ledger(*, publication: Publication, user) -> bool:
    """Administrators and the issuer's staff see every receiving unit of an item."""
    scope = user_scope(user)
    return scope == ALL_UNITS or (scope is not None and publication.issuing_unit.is_within(scope))


def distribution_ledger(*, publication: Publication, user):
    """Copies of `publication` per receiving unit and date: [{unit, copies, date}], in tree order.
    The issuer (and administrators) see every receiving unit; other unit staff only the units of
    their own subtree."""
    rows = Distribution.objects.filter(publication=publication)
    if not sees_whole_ledger(publication=publication, user=user):
        scope = user_scope(user)
        rows = rows.filter(unit__path__startswith=scope.path) if scope not in (None, ALL_UNITS) else rows.none()
    return (
        rows.values("unit", "unit__name", "unit__path", "date")
        .annotate(copies=Sum("copies"))
        .order_by("unit__path", "date")
    )


def read_rate_overview(*, publications, units) -> dict[int, int]:
    """{publication id: cadres on the rosters of `units` who confirmed studying it} (one query)."""
    return dict(
        ReadReceipt.objects.filter(
            publication__in=publications, user__membership__unit__in=units, user__membership__is_cadre=True
        )
        .values("publication")
        .annotate(n=Count("pk"))
        .values_list("publication", "n")
    )


def read_rates(*, publication: Publication, units):
    """For each unit of `units` with cadres on its roster: roster size, how many confirmed
    studying `publication`, and the rate. Two queries whatever the number of units."""
    roster = roster_counts(units)
    # Receipts count under the reader's unit today (as the roster does), not the unit they were
    # in when they read: a cadre moved within the tree stays counted once, where they are listed.
    read = dict(
        ReadReceipt.objects.filter(
            publication=publication, user__membership__unit__in=units, user__membership__is_cadre=True
        )
        .values("user__membership__unit")
        .annotate(n=Count("pk"))
        .values_list("user__membership__unit", "n")
    )
    rows = []
    for unit in Unit.objects.filter(pk__in=roster).order_by("path"):
        total, done = roster[unit.pk], read.get(unit.pk, 0)
        rows.append({"unit": unit, "roster": total, "read": done, "rate": done / total if total else 0})
    return rows


def unread_cadres(*, publication: Publication, units):
    """Cadres on the rosters of `units` who have not confirmed studying `publication`."""
    return (
        Membership.objects.filter(unit__in=units, is_cadre=True)
        .exclude(user__read_receipts__publication=publication)
        .select_related("user", "unit")
        .order_by("unit__path", "user__username")
    )


def publication_totals(*, start, end, publications=None):
    """For the period from `start` to `end`: copies printed per kind (items issued in the period),
    copies distributed per kind and placements per channel (by their own dates).
    `publications` narrows everything to some items (a unit scope)."""
    # Only the ids of `publications` are used: a queryset that arrives annotated through a join
    # (the admin's "copies distributed" column) would otherwise repeat each print run once per
    # distribution row in the sum below.
    scope = Publication.objects.all()
    if publications is not None:
        scope = scope.filter(pk__in=publications.values("pk"))
    items = scope.filter(
        Q(issued_on__range=(start, end)) | Q(issued_on__isnull=True, published_at__date__range=(start, end))
    )
    printed = {
        row["kind"]: row["copies"]
        for row in items.values("kind").annotate(copies=Sum("copies_printed")).order_by("kind")
    }
    distributed = {
        row["publication__kind"]: row["copies"]
        for row in Distribution.objects.filter(date__range=(start, end), publication__in=scope)
        .values("publication__kind")
        .annotate(copies=Sum("copies"))
        .order_by("publication__kind")
    }
    placements = {
        row["channel"]: row["count"]
        for row in Placement.objects.filter(date__range=(start, end), publication__in=scope)
        .values("channel")
        .annotate(count=Count("pk"))
        .order_by("channel")
    }
    return {"printed": printed, "distributed": distributed, "placements": placements}


def period_items(*, start, end, publications):
    """The items of `publications` that count in the period's copies: those issued in it (their
    print run counts) and those with copies distributed in it (those copies count). Each row
    carries `printed_in_period` and `distributed_in_period`, summed without a join, so their
    totals equal publication_totals'."""
    issued_in_period = Q(issued_on__range=(start, end)) | Q(
        issued_on__isnull=True, published_at__date__range=(start, end)
    )
    distributed = (
        Distribution.objects.filter(publication=OuterRef("pk"), date__range=(start, end))
        .values("publication")
        .annotate(total=Sum("copies"))
        .values("total")
    )
    return (
        Publication.objects.filter(pk__in=publications.values("pk"))
        .annotate(
            printed_in_period=Case(
                When(issued_in_period, then="copies_printed"), default=Value(0), output_field=IntegerField()
            ),
            distributed_in_period=Coalesce(Subquery(distributed, output_field=IntegerField()), 0),
        )
        .filter(Q(printed_in_period__gt=0) | Q(distributed_in_period__gt=0))
        .select_related("issuing_unit")
        .order_by("kind", "issued_on", "pk")
    )
