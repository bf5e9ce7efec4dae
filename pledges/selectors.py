from django.db.models import Count, Exists, OuterRef

from pledges.models import PledgeText, Signature
from units.models import Membership, Unit
from units.selectors import roster_counts


def progress_by_unit(*, pledge: PledgeText, units):
    """Per unit of `units`: valid signatures and cadres on the roster (two queries)."""
    roster = roster_counts(units)
    signed = dict(
        pledge.signatures.valid().filter(unit__in=units).values("unit").annotate(n=Count("pk")).values_list("unit", "n")
    )
    rows = []
    for unit in Unit.objects.filter(pk__in=set(roster) | set(signed)).order_by("path"):
        total, done = roster.get(unit.pk, 0), signed.get(unit.pk, 0)
        rows.append({"unit": unit, "roster": total, "signed": done, "rate": min(done / total, 1) if total else None})
    return rows


def unsigned_cadres(*, pledge: PledgeText, units):
    """Cadres on the rosters of `units` with no valid signature: neither online from their
    account nor on paper under their name in their unit."""
    valid = pledge.signatures.valid()
    signed_online = valid.filter(user=OuterRef("user"))
    signed_on_paper = valid.filter(
        method=Signature.Method.PAPER, signer_name=OuterRef("user__first_name"), unit=OuterRef("unit")
    )
    return (
        Membership.objects.filter(unit__in=units, is_cadre=True)
        .exclude(Exists(signed_online))
        .exclude(Exists(signed_on_paper))
        .select_related("user", "unit")
        .order_by("unit__path", "user__username")
    )
