import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from publications.models import Audience, Placement, Publication, ReadReceipt
from publications.selectors import publication_totals, read_rates, unread_cadres
from publications.services import publication_save, receipt_confirm
from publications.tests.factories import PublicationFactory
from units.models import Membership, Unit
from units.tests.factories import make_member


def test_duplicate_issue_number_in_series_and_year_is_refused(township_a):
    PublicationFactory(kind="case_bulletin", series="典型案例通报", year=2020, issue_number=3, issuing_unit=township_a)
    with pytest.raises(ValidationError) as error:
        PublicationFactory(
            kind="case_bulletin", series="典型案例通报", year=2020, issue_number=3, issuing_unit=township_a
        )
    assert "该期号在本系列本年度中已被使用" in str(error.value)
    PublicationFactory(kind="case_bulletin", series="典型案例通报", year=2021, issue_number=3, issuing_unit=township_a)
    assert Publication.objects.count() == 2


def test_issue_label_reads_like_a_chinese_issue(township_a):
    item = PublicationFactory(series="典型案例通报", year=2020, issue_number=3, issuing_unit=township_a)
    assert item.issue_label == "2020年第3期"


def test_publish_time_is_stamped_once(township_a):
    item = PublicationFactory(is_published=False, issuing_unit=township_a)
    assert item.published_at is None
    item.is_published = True
    publication_save(publication=item, actor=None)
    stamped = item.published_at
    item.title = "修改标题"
    publication_save(publication=item, actor=None)
    assert item.published_at == stamped


def test_confirming_twice_records_one_receipt(township_a, cadre_a):
    item = PublicationFactory(audience=Audience.CADRES, kind="case_bulletin", issuing_unit=township_a)
    first = receipt_confirm(publication=item, user=cadre_a)
    second = receipt_confirm(publication=item, user=cadre_a)
    assert first.pk == second.pk and ReadReceipt.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
def test_confirming_from_two_tabs_at_once_records_one_receipt(township_a, cadre_a):
    item = PublicationFactory(audience=Audience.CADRES, kind="case_bulletin", issuing_unit=township_a)
    barrier, errors = threading.Barrier(8), []

    def confirm():
        try:
            barrier.wait(timeout=20)
            receipt_confirm(publication=item, user=cadre_a)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and ReadReceipt.objects.count() == 1


def test_read_rates_per_unit(township_a, township_b, village_a, village_b):
    item = PublicationFactory(audience=Audience.CADRES, kind="case_bulletin", issuing_unit=township_a)
    a_cadres = [make_member(village_a, username=f"a{n}") for n in range(4)]
    b_cadres = [make_member(village_b, username=f"b{n}") for n in range(2)]
    for cadre in a_cadres[:3] + b_cadres[:1]:
        receipt_confirm(publication=item, user=cadre)
    rows = {
        row["unit"].name: (row["roster"], row["read"], row["rate"])
        for row in read_rates(publication=item, units=Unit.objects.all())
    }
    assert rows == {"向阳村": (4, 3, 0.75), "河口村": (2, 1, 0.5)}
    scoped = read_rates(publication=item, units=Unit.objects.subtree(township_a))
    assert [row["unit"].name for row in scoped] == ["向阳村"]
    assert [m.user.username for m in unread_cadres(publication=item, units=Unit.objects.subtree(township_a))] == ["a3"]


def test_unregistered_users_cannot_confirm(township_a, django_user_model):
    item = PublicationFactory(audience=Audience.CADRES, issuing_unit=township_a)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        receipt_confirm(publication=item, user=django_user_model.objects.create_user("x"))


def test_totals_of_copies_and_placements_for_a_period(township_a, township_b):
    study = PublicationFactory(
        kind="study_material", copies_printed=200, issued_on=datetime.date(2020, 5, 1), issuing_unit=township_a
    )
    rules = PublicationFactory(
        kind="rules_compilation", copies_printed=310, issued_on=datetime.date(2020, 6, 1), issuing_unit=township_a
    )
    PublicationFactory(
        kind="study_material", copies_printed=999, issued_on=datetime.date(2023, 1, 1), issuing_unit=township_a
    )
    study.distributions.create(unit=township_b, date=datetime.date(2020, 5, 2), copies=60)
    study.distributions.create(unit=township_a, date=datetime.date(2020, 5, 3), copies=50)
    study.distributions.create(unit=township_a, date=datetime.date(2023, 5, 3), copies=7)
    for channel, dates in {"extranet": [1, 2, 3], "portal": [4], "wechat": []}.items():
        for day in dates:
            rules.placements.create(channel=channel, date=datetime.date(2020, 7, day))
    rules.placements.create(channel=Placement.Channel.TV, date=datetime.date(2019, 12, 31))
    totals = publication_totals(start=datetime.date(2020, 1, 1), end=datetime.date(2022, 9, 6))
    assert totals["printed"] == {"study_material": 200, "rules_compilation": 310}
    assert totals["distributed"] == {"study_material": 110}
    assert totals["placements"] == {"extranet": 3, "portal": 1}


def test_roster_counts_only_cadres_on_the_roster(township_a, village_a):
    item = PublicationFactory(audience=Audience.CADRES, issuing_unit=township_a)
    make_member(village_a, username="on")
    clerk = make_member(village_a, username="clerk")
    Membership.objects.filter(user=clerk).update(is_cadre=False)
    assert read_rates(publication=item, units=Unit.objects.filter(pk=village_a.pk))[0]["roster"] == 1


def test_totals_of_a_queryset_annotated_through_distributions_count_each_print_run_once(township_a):
    from django.db.models import Sum

    item = PublicationFactory(
        kind="work_points", copies_printed=110, issued_on=datetime.date(2020, 3, 2), issuing_unit=township_a
    )
    for day in range(1, 6):
        item.distributions.create(unit=township_a, date=datetime.date(2020, 3, day), copies=22)
    annotated = Publication.objects.annotate(distributed=Sum("distributions__copies"))
    totals = publication_totals(
        start=datetime.date(2020, 1, 1), end=datetime.date(2020, 12, 31), publications=annotated
    )
    assert totals["printed"] == {"work_points": 110}
    assert totals["distributed"] == {"work_points": 110}


def test_a_moved_cadre_counts_as_read_where_they_are_listed_now(township_a, township_b, village_a, village_b):
    from units.services import membership_assign

    item = PublicationFactory(audience=Audience.CADRES, kind="case_bulletin", issuing_unit=township_a)
    mover = make_member(village_b, username="mover")
    receipt_confirm(publication=item, user=mover)
    membership_assign(user=mover, unit=village_a, role=Membership.Role.CADRE, actor=None)
    rows = {
        row["unit"].name: (row["roster"], row["read"]) for row in read_rates(publication=item, units=Unit.objects.all())
    }
    assert rows == {"向阳村": (1, 1)}
    assert list(unread_cadres(publication=item, units=Unit.objects.all())) == []
