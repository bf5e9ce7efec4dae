import datetime
import re
import statistics

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from bases.models import EducationBase, VisitBooking, VisitSlot
from campaigns.models import ActivityKind, ActivityOutput, ActivityRecord, Campaign
from demo import bulk
from inspections.models import Inspection
from pledges.models import VERIFICATION_ALPHABET, PledgeText, Signature
from publications.models import Audience, Placement, Publication, ReadReceipt
from search.models import Entry
from units.models import Membership, Unit
from units.services import unit_save


@pytest.fixture
def generated(city):
    """One batch at --scale 1 beside a city; returns (batch code, rows per table)."""
    return bulk.generate(1, "test")


def table_counts() -> dict[str, int]:
    return {model._meta.db_table: model.objects.count() for model in apps.get_models(include_auto_created=True)}


def years(queryset, field_name) -> set[int]:
    return set(queryset.annotate(year_of=ExtractYear(field_name)).values_list("year_of", flat=True))


def test_reported_counts_are_the_rows_added_to_each_table(city):
    before = table_counts()
    _batch, counts = bulk.generate(1, "test")
    after = table_counts()
    derived = {Entry._meta.db_table}  # the search index, derived again by generate_bulk once the rows are in
    changed = {table: after[table] - before[table] for table in after if after[table] != before[table]}
    assert {table: added for table, added in changed.items() if table not in derived} == counts
    assert counts[ActivityRecord._meta.db_table] == bulk.RECORDS
    assert counts[Signature._meta.db_table] == bulk.SIGNATURES
    assert counts[Publication._meta.db_table] == bulk.PUBLICATIONS
    assert counts[Membership._meta.db_table] == bulk.CADRES
    assert Unit.objects.filter(kind=Unit.Kind.TOWNSHIP).count() == bulk.TOWNSHIPS
    assert counts[Unit.history.model._meta.db_table] == counts[Unit._meta.db_table]  # as unit_save writes them


def test_units_are_what_unit_save_makes(generated, city):
    batch, _counts = generated
    units = list(Unit.objects.filter(code__startswith=f"B{batch}").select_related("parent"))
    assert {unit.parent.kind for unit in units} == {Unit.Kind.CITY, Unit.Kind.TOWNSHIP}
    for unit in units:
        assert unit.path == unit.parent.path + unit.path_segment()
        assert unit.is_within(city) and unit.depth == unit.parent.depth + 1
    assert Unit.history.filter(code__startswith=f"B{batch}", history_type="+", history_user=None).count() == len(units)
    village = next(unit for unit in units if unit.kind == Unit.Kind.VILLAGE)
    stored_path = village.path
    assert unit_save(unit=village, actor=None).path == stored_path


def test_a_sample_of_each_table_passes_model_validation(generated):
    models = [Unit, Membership, Campaign, ActivityRecord, ActivityOutput, EducationBase, VisitSlot, VisitBooking]
    models += [Publication, Placement, ReadReceipt, PledgeText, Signature]
    for model in models:
        rows = model.objects.order_by("pk")
        count = rows.count()
        assert count, model
        for row in rows[:: max(1, count // 25)]:
            row.full_clean()


def test_dates_spread_over_the_years_and_never_lie_ahead(generated):
    today, now = timezone.localdate(), timezone.now()
    assert len(years(ActivityRecord.objects, "date")) >= 6
    assert len(years(Publication.objects.published(), "published_at")) >= 6
    assert len(years(VisitSlot.objects, "date")) >= 5
    assert len(years(EducationBase.objects, "published_at")) >= 4
    assert len(years(Signature.objects, "signed_at")) >= 2
    assert len(years(ReadReceipt.objects, "read_at")) >= 4
    assert len(set(ActivityRecord.objects.values_list("date", flat=True))) > 1000
    assert not ActivityRecord.objects.filter(Q(date__gt=today) | Q(date__lt=datetime.date(2019, 1, 1))).exists()
    assert not ActivityRecord.objects.filter(created_at__gt=now).exists()
    assert not Signature.objects.filter(signed_at__gt=now).exists()
    assert not ReadReceipt.objects.filter(Q(read_at__gt=now) | Q(read_at__lt=F("publication__published_at"))).exists()
    assert not VisitBooking.objects.filter(created_at__gt=now).exists()
    assert VisitSlot.objects.filter(date__gt=today).exists()  # coming visits to book


def test_kinds_channels_and_categories_are_mixed(generated):
    def distinct(queryset, field_name):
        return queryset.values(field_name).distinct().count()

    assert distinct(ActivityRecord.objects, "kind") == len(ActivityKind.values)
    assert distinct(Publication.objects, "kind") >= 8
    assert distinct(Publication.objects, "audience") == len(Audience.values)
    assert distinct(Placement.objects, "channel") >= 8
    assert distinct(EducationBase.objects, "category") >= 4
    assert distinct(VisitBooking.objects, "status") == len(VisitBooking.Status.values)
    assert distinct(Signature.objects, "method") == 2
    assert distinct(Signature.objects, "pledge") >= 3
    assert ActivityRecord.objects.exclude(campaign=None).exists()


def test_a_few_units_are_large_and_most_small(generated):
    per_unit = sorted(ActivityRecord.objects.values("unit").annotate(n=Count("pk")).values_list("n", flat=True))
    largest_tenth = per_unit[-len(per_unit) // 10 :]
    assert sum(largest_tenth) > 0.4 * sum(per_unit)
    assert statistics.median(per_unit) < statistics.mean(per_unit)


def test_every_row_keeps_the_rules_of_its_model(generated):
    assert not ActivityRecord.objects.filter(participants__lt=F("sessions")).exists()
    assert not Inspection.objects.filter(cases_handed_over__gt=F("problems_found")).exists()
    assert not Inspection.objects.filter(done_on__gt=F("period__ends_on")).exists()
    assert not Inspection.objects.filter(done_on__lt=F("period__starts_on")).exists()
    held = Sum("bookings__group_size", filter=Q(bookings__status__in=VisitBooking.HOLDING_STATUSES), default=0)
    assert not VisitSlot.objects.annotate(held=held).filter(held__gt=F("capacity")).exists()
    assert not VisitSlot.objects.filter(is_closed=True, bookings__isnull=False).exists()
    assert not VisitBooking.objects.filter(actual_visitors__gt=F("group_size")).exists()
    assert not VisitBooking.objects.exclude(status=VisitBooking.Status.CONFIRMED).exclude(actual_visitors=None).exists()
    assert not ReadReceipt.objects.exclude(publication__audience=Audience.CADRES).exists()
    assert not ReadReceipt.objects.exclude(unit=F("user__membership__unit")).exists()
    online = Signature.objects.filter(method=Signature.Method.ONLINE)
    assert not online.exclude(unit=F("user__membership__unit")).exists()
    cadres = set(Membership.objects.values_list("user__first_name", "unit"))
    paper = set(Signature.objects.filter(method=Signature.Method.PAPER).values_list("signer_name", "unit"))
    assert not cadres & paper  # one person, one signature
    code = re.compile(f"^[{VERIFICATION_ALPHABET}]{{10}}$")
    assert all(code.match(value) for value in Signature.objects.values_list("verification_code", flat=True))


def test_every_unit_has_a_cadre_and_only_a_share_of_cadres_confirm_reading(generated):
    batch, _counts = generated
    assert not Unit.objects.filter(code__startswith=f"B{batch}", memberships=None).exists()
    readers = ReadReceipt.objects.values("user").distinct().count()
    assert 0 < readers < get_user_model().objects.filter(membership__role=Membership.Role.CADRE).count()
