"""The activity record admin as unit staff use it: shared campaigns, exports, output history."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from campaigns.models import ActivityOutput, ActivityRecord
from campaigns.tests.factories import CampaignFactory, make_record
from units.models import Unit
from units.tests.factories import UnitFactory


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


def test_staff_may_choose_published_city_campaigns_but_not_drafts_or_other_townships(
    staff_client, city, township_a, township_b
):
    commission = UnitFactory(name="市纪委监委", kind=Unit.Kind.ORGAN, parent=city, code="JW")
    CampaignFactory(title="全市讲规学法", organisers=[commission])
    CampaignFactory(title="全市草稿活动", organisers=[city], is_published=False)
    CampaignFactory(title="西河镇活动", organisers=[township_b])
    CampaignFactory(title="东山镇活动", organisers=[township_a])
    form = staff_client.get(reverse("admin:campaigns_activityrecord_add")).context["adminform"].form
    offered = {str(campaign) for campaign in form.fields["campaign"].queryset}
    assert offered == {"全市讲规学法", "东山镇活动"}


def test_the_campaign_autocomplete_offers_what_the_field_accepts(staff_client, city, township_b):
    CampaignFactory(title="全市讲规学法", organisers=[city])
    CampaignFactory(title="西河镇活动", organisers=[township_b])
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "campaigns", "model_name": "activityrecord", "field_name": "campaign", "term": ""},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["全市讲规学法"]


def test_resaving_keeps_a_campaign_link_the_user_could_not_choose(staff_client, city, village_a):
    """A record linked (by the commission) to a city campaign still in draft: unit staff open it
    and press 保存 without changing anything; the link stays."""
    draft = CampaignFactory(title="全市草稿活动", organisers=[city], is_published=False)
    record = make_record(village_a, datetime.date(2021, 5, 1), campaign=draft, sessions=2, participants=20)
    page = staff_client.get(reverse("admin:campaigns_activityrecord_change", args=[record.pk]))
    assert "全市草稿活动" in page.content.decode()
    data = {
        "unit": village_a.pk,
        "date": "2021-05-01",
        "kind": record.kind,
        "title": record.title,
        "campaign": draft.pk,
        "sessions": 2,
        "participants": 20,
        "outputs-TOTAL_FORMS": 0,
        "outputs-INITIAL_FORMS": 0,
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
        "_save": "保存",
    }
    response = staff_client.post(reverse("admin:campaigns_activityrecord_change", args=[record.pk]), data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.campaign == draft


def test_changing_an_output_is_kept_in_history_with_its_author(staff_client, staff_a, village_a):
    record = make_record(village_a, datetime.date(2021, 5, 1), outputs={"essays": 5})
    output = record.outputs.get()
    data = {
        "unit": village_a.pk,
        "date": "2021-05-01",
        "kind": record.kind,
        "title": record.title,
        "sessions": 1,
        "outputs-TOTAL_FORMS": 1,
        "outputs-INITIAL_FORMS": 1,
        "outputs-0-id": output.pk,
        "outputs-0-record": record.pk,
        "outputs-0-measure": "essays",
        "outputs-0-quantity": 50,
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
        "_save": "保存",
    }
    response = staff_client.post(reverse("admin:campaigns_activityrecord_change", args=[record.pk]), data)
    assert response.status_code == 302
    versions = ActivityOutput.history.filter(id=output.pk).order_by("history_date")
    assert [version.quantity for version in versions] == [5, 50]
    assert versions.last().history_user == staff_a


def test_the_export_speaks_chinese_and_names_units_and_campaigns(staff_client, city, village_a):
    campaign = CampaignFactory(title="全市讲规学法", organisers=[city])
    make_record(village_a, datetime.date(2021, 5, 1), campaign=campaign, title=" =HYPERLINK(1)")
    response = staff_client.post(
        reverse("admin:campaigns_activityrecord_export"),
        {"format": "0", **{f"activityrecordresource_{name}": "on" for name in ["unit", "kind", "title", "campaign"]}},
    )
    assert response.status_code == 200, response.content[:300]
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("单位", "类型", "标题", "所属活动")
    assert rows[1][0] == "向阳村" and rows[1][1] == "讲规学法/学习研讨" and rows[1][3] == "全市讲规学法"
    assert rows[1][2].startswith("'")  # the formula behind a leading space is neutralised
    assert ActivityRecord.objects.count() == 1
