import datetime

import pytest
from django.urls import reverse

from campaigns.models import ActivityPhoto, ActivityRecord, Sector
from campaigns.tests.factories import CampaignFactory, make_record
from units.models import Unit
from units.tests.factories import UnitFactory


@pytest.fixture
def campaign(city, village_a):
    campaign = CampaignFactory(title="勤廉从政主题教育", organisers=[city], sectors=[Sector.objects.get(code="organs")])
    make_record(
        village_a,
        datetime.date(2021, 5, 1),
        sessions=2,
        participants=60,
        campaign=campaign,
        outputs={"essays": 12},
        title="主题党日学习",
    )
    return campaign


def test_campaign_page_shows_its_timeline_and_totals(client, campaign):
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "勤廉从政主题教育" in page and "主题党日学习" in page and "向阳村" in page
    assert "<dd>60</dd>" in page and "篇" in page


def test_unpublished_campaigns_are_hidden(client, city):
    draft = CampaignFactory(title="草稿活动", is_published=False, organisers=[city])
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "草稿活动" not in client.get(reverse("campaigns:campaign-list")).content.decode()


def test_list_filters_by_sector_and_kind(client, campaign, city):
    CampaignFactory(
        title="廉洁书画大赛", kind="contest", organisers=[city], sectors=[Sector.objects.get(code="schools")]
    )
    url = reverse("campaigns:campaign-list")
    assert "廉洁书画大赛" not in client.get(url, {"sector": "organs"}).content.decode()
    assert "勤廉从政主题教育" not in client.get(url, {"kind": "contest"}).content.decode()


def test_sector_page_gathers_its_campaigns_and_activities(client, campaign, township_a):
    school = UnitFactory(name="东山小学", kind=Unit.Kind.SCHOOL, parent=township_a, code="SCH")
    make_record(school, datetime.date(2021, 6, 1), title="廉洁书签制作", outputs={"works": 80})
    page = client.get(reverse("campaigns:sector-detail", args=["schools"])).content.decode()
    assert "廉洁文化进学校" in page and "廉洁书签制作" in page and "主题党日学习" not in page


def test_public_pages_run_a_bounded_number_of_queries(client, campaign, village_a, django_assert_max_num_queries):
    for number in range(40):
        record = make_record(
            village_a,
            datetime.date(2021, 1, 1) + datetime.timedelta(days=number),
            sessions=1,
            participants=10,
            campaign=campaign,
            outputs={"essays": 1, "books": 2},
        )
        ActivityPhoto.objects.create(record=record, image="campaigns/photos/x.jpg")
    # Site settings and the navigation take about six; the page itself the rest, whatever the data.
    with django_assert_max_num_queries(16):
        client.get(campaign.get_absolute_url())
    with django_assert_max_num_queries(16):
        client.get(reverse("campaigns:sector-detail", args=["villages"]))
    with django_assert_max_num_queries(10):
        client.get(reverse("campaigns:campaign-list"))


def test_staff_see_and_edit_only_their_subtree(client, staff_a, village_a, village_b, campaign, township_b):
    make_record(village_b, datetime.date(2021, 5, 2), title="西河学习")
    CampaignFactory(title="西河镇自办活动", organisers=[township_b])
    client.force_login(staff_a)
    records = client.get(reverse("admin:campaigns_activityrecord_changelist")).content.decode()
    assert "主题党日学习" in records and "西河学习" not in records
    assert "学习 2" not in records  # sanity: the totals line is the scoped one
    campaigns = client.get(reverse("admin:campaigns_campaign_changelist")).content.decode()
    assert "西河镇自办活动" not in campaigns
    response = client.post(
        reverse("admin:campaigns_activityrecord_add"),
        {
            "unit": village_b.pk,
            "date": "2021-05-01",
            "kind": "study",
            "title": "冒名记录",
            "outputs-TOTAL_FORMS": "0",
            "outputs-INITIAL_FORMS": "0",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        },
    )
    assert "选择一个有效的选项" in response.content.decode()
    assert not ActivityRecord.objects.filter(title="冒名记录").exists()


def test_admin_form_validates_in_chinese_and_defaults_to_today_and_unit(client, staff_a, township_a):
    client.force_login(staff_a)
    form = client.get(reverse("admin:campaigns_activityrecord_add")).context["adminform"].form
    assert form.initial["unit"] == township_a.pk and form.initial["date"] is not None
    response = client.post(
        reverse("admin:campaigns_activityrecord_add"),
        {
            "unit": township_a.pk,
            "date": "2999-01-01",
            "kind": "study",
            "title": "未来",
            "sessions": "5",
            "participants": "2",
            "outputs-TOTAL_FORMS": "0",
            "outputs-INITIAL_FORMS": "0",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        },
    )
    page = response.content.decode()
    assert "日期不能晚于今天" in page and "人次不能少于次数" in page


def test_changelist_shows_totals_for_the_current_filter(client, staff_a, township_a, village_a, campaign):
    make_record(township_a, datetime.date(2021, 7, 1), kind="inspection", sessions=1, title="专项检查")
    client.force_login(staff_a)
    page = client.get(reverse("admin:campaigns_activityrecord_changelist"), {"kind__exact": "study"}).content.decode()
    assert "1 条记录，2 次，60 人次" in page


def test_school_staff_see_their_pupils_works_but_organisers_moderate(client, city, township_a):
    from campaigns.models import Submission
    from campaigns.tests.factories import OpenCallFactory
    from units.models import Membership
    from units.tests.factories import make_member

    school = UnitFactory(name="东山小学", kind=Unit.Kind.SCHOOL, parent=township_a, code="SCH")
    call = OpenCallFactory(organisers=[city])
    work = Submission.objects.create(
        call=call,
        title="学生作品",
        category="painting",
        author_name="小明",
        age_or_grade="三年级",
        school=school,
        guardian_name="家长",
        guardian_phone="13900000000",
        image="submissions/x.png",
        image_digest="x",
    )
    teacher = make_member(school, Membership.Role.UNIT_STAFF, username="teacher")
    client.force_login(teacher)
    assert "学生作品" in client.get(reverse("admin:campaigns_submission_changelist")).content.decode()
    client.post(reverse("admin:campaigns_submission_changelist"), {"action": "accept", "_selected_action": [work.pk]})
    work.refresh_from_db()
    assert work.status == Submission.Status.SUBMITTED


def test_governing_document_must_really_be_a_document(admin_client, city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from campaigns.models import Campaign

    response = admin_client.post(
        reverse("admin:campaigns_campaign_add"),
        {
            "title": "带附件的活动",
            "kind": "study",
            "organisers": [city.pk],
            "starts_on": "2021-01-01",
            "summary": "简介",
            "document_title": "实施方案",
            "document": SimpleUploadedFile("方案.pdf", b"<html>not a pdf</html>"),
        },
    )
    assert "不是真正的 PDF" in response.content.decode()
    assert not Campaign.objects.filter(title="带附件的活动").exists()


def test_a_record_of_a_published_campaign_has_its_own_page(client, city, township_a):
    shown = CampaignFactory(title="家风月", organisers=[city])
    draft = CampaignFactory(title="筹备中的活动", organisers=[city], is_published=False)
    record = make_record(township_a, datetime.date(2021, 5, 6), campaign=shown, title="家访谈心", participants=40)
    page = client.get(record.get_absolute_url()).content.decode()
    assert "家访谈心" in page and "40" in page and shown.get_absolute_url() in page
    hidden = make_record(township_a, datetime.date(2021, 5, 7), campaign=draft, title="草稿活动")
    assert client.get(hidden.get_absolute_url()).status_code == 404
    loose = make_record(township_a, datetime.date(2021, 5, 8), title="未归入活动")
    assert client.get(loose.get_absolute_url()).status_code == 404


def test_a_record_waiting_for_review_is_not_on_the_site_until_approved(client, campaign, village_a, staff_a):
    from campaigns.services import activity_record_save
    from units.review import review_approve, review_submit

    record = make_record(
        village_a, datetime.date(2021, 6, 1), campaign=campaign, title="待审核的家访活动", is_published=False
    )
    review_submit(item=record, actor=staff_a, save=lambda obj: activity_record_save(record=obj, actor=staff_a))
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "待审核的家访活动" not in page and "主题党日学习" in page
    assert client.get(record.get_absolute_url()).status_code == 404
    reviewer = staff_a.__class__.objects.create_superuser("reviewer", password="x")
    review_approve(item=record, actor=reviewer, save=lambda obj: activity_record_save(record=obj, actor=reviewer))
    assert "待审核的家访活动" in client.get(campaign.get_absolute_url()).content.decode()
    assert client.get(record.get_absolute_url()).status_code == 200
