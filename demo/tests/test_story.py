"""The demo tells the source report's story: its items dated 2020-01-01 … 2022-09-06, the 2020 call
closed with its selected works, a few current items, a reviewer per township, complete footer
identifiers — and loading it twice changes nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from bases.models import EducationBase
from campaigns.models import Campaign, OpenCall, Submission
from core.models import SiteSettings
from demo.dates import STORY_END, STORY_START
from pledges.models import PledgeText
from publications.models import Publication
from units.models import Membership, Unit


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def story_dates(queryset):
    return {timezone.localtime(moment).date() for moment in queryset.values_list("published_at", flat=True)}


def test_bases_campaigns_and_pledges_are_dated_in_the_story(demo):
    for model in (EducationBase, Campaign, PledgeText):
        dates = story_dates(model.objects.filter(is_published=True))
        assert dates and all(STORY_START <= day <= STORY_END for day in dates), model


def test_the_2020_call_is_closed_with_its_selected_works_and_a_current_call_is_open(demo, client):
    closed = OpenCall.objects.get(title="2020年云岭市青少年书画评展征稿")
    assert not closed.is_open and closed.closes_at.year == 2020
    assert closed.submissions.in_gallery().count() == 5
    assert closed.submissions.filter(status=Submission.Status.AWARDED, award_level="一等奖").exists()
    assert OpenCall.objects.filter(is_published=True).exclude(pk=closed.pk).get().is_open
    gallery = client.get(f"/campaigns/calls/{closed.pk}/gallery/").content.decode()
    assert "清风徐来" in gallery and "清白做人" not in gallery  # the jury did not select it


def test_current_items_and_one_awaiting_review(demo):
    recent = timezone.now() - datetime.timedelta(days=30)
    assert Publication.objects.published().filter(published_at__gte=recent).exists()
    assert Publication.objects.filter(review_status="submitted", issuing_unit__code="T01").count() == 1


def test_every_township_has_a_reviewer_and_the_footer_is_complete(demo, client):
    townships = Unit.objects.filter(kind=Unit.Kind.TOWNSHIP)
    reviewed = Membership.objects.filter(can_review=True, unit__in=townships).values("unit").distinct().count()
    assert reviewed == townships.count()
    site = SiteSettings.load()
    assert all([site.icp_number, site.police_filing_number, site.site_code, site.party_label_code])
    assert site.icp_number in client.get("/").content.decode()


def test_loading_twice_changes_nothing(demo):
    counts = [model.objects.count() for model in (Publication, Submission, OpenCall, Membership)]
    review = list(Publication.objects.values_list("review_status", flat=True).order_by("pk"))
    call_command("load_demo", stdout=io.StringIO())
    assert [model.objects.count() for model in (Publication, Submission, OpenCall, Membership)] == counts
    assert list(Publication.objects.values_list("review_status", flat=True).order_by("pk")) == review
