"""The index follows the items in the same transaction: what the site stops showing, the search
stops finding at once; what is rolled back leaves no trace; the rebuild gives the same index."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import transaction

from bases.services import base_save
from bases.tests.factories import EducationBaseFactory, ExhibitionSectionFactory
from campaigns.services import activity_import, campaign_save
from campaigns.tests.factories import CampaignFactory, make_record, records_workbook
from publications.models import Audience
from publications.services import publication_save
from publications.tests.factories import PublicationFactory, attach, pdf_bytes
from search.models import Entry
from search.services import search
from search.text import query_words
from units.models import Unit


def found(query, user=None):
    return [entry.title for entry in search(user=user or AnonymousUser(), words=query_words(query), per_page=100).hits]


def test_publish_edit_unpublish_delete(city):
    item = PublicationFactory(title="廉洁过节提醒", issuing_unit=city, is_published=False)
    assert found("过节") == []
    item.is_published = True
    publication_save(publication=item, actor=None)
    assert found("过节") == ["廉洁过节提醒"]
    item.title = "中秋国庆廉洁提醒"
    publication_save(publication=item, actor=None)
    assert found("过节") == []
    assert found("中秋") == ["中秋国庆廉洁提醒"]
    item.is_published = False
    publication_save(publication=item, actor=None)
    assert found("中秋") == []
    item.is_published = True
    publication_save(publication=item, actor=None)
    item.delete()
    assert found("中秋") == []
    assert not Entry.objects.exists()


def test_audience_change_hides_an_item_from_the_public(city, cadre_a):
    item = PublicationFactory(title="违纪案件剖析", issuing_unit=city)
    assert found("剖析") == ["违纪案件剖析"]
    item.audience = Audience.CADRES
    publication_save(publication=item, actor=None)
    assert found("剖析") == []
    assert found("剖析", cadre_a) == ["违纪案件剖析"]


def test_rows_that_change_an_item_reindex_it(city, township_a):
    base = EducationBaseFactory(name="清风园", unit=township_a)
    section = ExhibitionSectionFactory(base=base, title="家风家训展区")
    assert found("家训") == ["清风园"]
    section.delete()
    assert found("家训") == []
    item = PublicationFactory(title="学习资料", issuing_unit=city)
    attach(item, "廉政准则汇编.pdf", pdf_bytes())
    assert found("准则") == ["学习资料"]


def test_an_unpublished_campaign_takes_its_records_out(city, township_a):
    campaign = CampaignFactory(title="家风月", organisers=[city])
    make_record(township_a, datetime.date(2021, 5, 6), campaign=campaign, title="家访谈心")
    make_record(township_a, datetime.date(2021, 5, 7), title="未归入活动的谈心")  # shown on no page of its own
    assert found("谈心") == ["家访谈心"]
    campaign.is_published = False
    campaign_save(campaign=campaign, actor=None)
    assert found("谈心") == []
    assert found("家风") == []


def test_a_rolled_back_edit_leaves_the_index_as_it_was(township_a):
    base = EducationBaseFactory(name="清风园", unit=township_a)
    with pytest.raises(RuntimeError), transaction.atomic():
        base.name = "明镜园"
        base_save(base=base, actor=None)
        assert found("明镜") == ["明镜园"]
        raise RuntimeError
    assert found("明镜") == []
    assert found("清风") == ["清风园"]


def test_imported_records_are_found_once_a_reviewer_approved_them(city, village_a, staff_a, commission_admin):
    from campaigns.models import ActivityRecord
    from campaigns.services import activity_record_save
    from units.review import review_approve

    CampaignFactory(title="《条例》学习月", organisers=[city])
    row = [village_a.name, datetime.date(2021, 3, 1), "学习研讨", "向阳村纪律教育学习", "《条例》学习月"]
    created, _skipped = activity_import(
        workbook_file=records_workbook([[*row, 1, 30, "", "", "", "", "", ""]]),
        units=Unit.objects.all(),
        actor=staff_a,
    )
    assert created == 1
    assert found("纪律教育") == []  # unit staff's entries wait for review
    record = ActivityRecord.objects.get()
    review_approve(
        item=record, actor=commission_admin, save=lambda obj: activity_record_save(record=obj, actor=commission_admin)
    )
    assert found("纪律教育") == ["向阳村纪律教育学习"]


def test_rebuild_gives_the_same_index(city, township_a, capsys):
    EducationBaseFactory(name="清风园", unit=township_a)
    PublicationFactory(title="廉洁过节提醒", issuing_unit=city)
    PublicationFactory(title="草稿", issuing_unit=city, is_published=False)
    before = sorted(Entry.objects.values_list("title", "section", "audience", "url"))
    Entry.objects.filter(title="清风园").delete()  # an index out of step (a bulk load, an upgrade)
    call_command("rebuild_search_index")
    assert "2 items indexed" in capsys.readouterr().out
    assert sorted(Entry.objects.values_list("title", "section", "audience", "url")) == before
    assert found("清风") == ["清风园"]


def test_the_rebuild_can_be_left_to_the_job_worker(city, township_a, capsys):
    EducationBaseFactory(name="清风园", unit=township_a)
    Entry.objects.all().delete()
    call_command("rebuild_search_index", "--in-background")  # no broker in the tests: the task runs here
    assert "queued for the worker" in capsys.readouterr().out
    assert found("清风") == ["清风园"]
