"""信息发布审核: what unit staff write reaches the public site only after a reviewer of the unit (or
the commission) approves it; a reviewer never approves their own submission; the history shows
each step."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from publications.models import Publication
from publications.services import publication_save
from publications.tests.factories import PublicationFactory
from units.models import Membership
from units.review import ReviewError, review_approve, review_check_edit, review_submit
from units.tests.factories import make_member


def save(item):
    return publication_save(publication=item, actor=None)


@pytest.fixture
def reviewer_a(township_a):
    reviewer = make_member(township_a, Membership.Role.UNIT_STAFF, username="leader_a", first_name="王审核")
    reviewer.membership.can_review = True
    reviewer.membership.save()
    return reviewer


@pytest.fixture
def reviewer_b(township_b):
    reviewer = make_member(township_b, Membership.Role.UNIT_STAFF, username="leader_b")
    reviewer.membership.can_review = True
    reviewer.membership.save()
    return reviewer


@pytest.fixture
def draft(village_a):
    return PublicationFactory(title="向阳村开展廉洁家访", issuing_unit=village_a, is_published=False)


def act(client, user, action, items, **extra):
    client.force_login(user)
    return client.post(
        reverse("admin:publications_publication_changelist"),
        {"action": action, "_selected_action": [item.pk for item in items], "index": 0, **extra},
        follow=True,
    )


def test_a_draft_is_not_on_the_site_until_a_reviewer_approves_it(client, staff_a, reviewer_a, draft):
    assert draft.review_status == "draft"
    assert client.get(reverse("publications:publication-list")).content.decode().count("向阳村开展廉洁家访") == 0
    act(client, staff_a, "submit_for_review", [draft])
    draft.refresh_from_db()
    assert draft.review_status == "submitted" and draft.submitted_by == staff_a and not draft.is_published
    response = act(client, reviewer_a, "approve_and_publish", [draft])
    assert "1 项已审核通过并发布" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_published and draft.review_status == "published" and draft.reviewed_by == reviewer_a
    client.logout()
    assert "向阳村开展廉洁家访" in client.get(reverse("publications:publication-list")).content.decode()
    steps = list(draft.history.order_by("history_date").values_list("review_status", "history_user__username"))
    assert steps[-2:] == [("submitted", "staff_a"), ("published", "leader_a")]


def test_unit_staff_cannot_publish_by_themselves(client, staff_a, draft):
    client.force_login(staff_a)
    page = client.get(reverse("admin:publications_publication_change", args=[draft.pk])).content.decode()
    assert 'name="is_published"' not in page
    response = act(client, staff_a, "approve_and_publish", [draft.__class__.objects.get(pk=draft.pk)])
    assert "只能审核通过或退回待审核的信息" in response.content.decode()
    review_submit(item=draft, actor=staff_a, save=save)
    with pytest.raises(ReviewError) as refused:
        review_approve(item=draft, actor=staff_a, save=save)
    assert refused.value.code == "not_reviewer"


def test_a_reviewer_cannot_approve_their_own_submission(reviewer_a, draft):
    review_submit(item=draft, actor=reviewer_a, save=save)
    with pytest.raises(ReviewError) as refused:
        review_approve(item=draft, actor=reviewer_a, save=save)
    assert refused.value.code == "own_item"
    assert not Publication.objects.get(pk=draft.pk).is_published


def test_a_reviewer_of_another_township_cannot_approve(staff_a, reviewer_b, draft):
    review_submit(item=draft, actor=staff_a, save=save)
    with pytest.raises(ReviewError) as refused:
        review_approve(item=draft, actor=reviewer_b, save=save)
    assert refused.value.code == "not_reviewer"


def test_returned_with_a_reason_the_author_sees(client, staff_a, reviewer_a, draft):
    review_submit(item=draft, actor=staff_a, save=save)
    response = act(client, reviewer_a, "return_for_changes", [draft], reason="")
    assert "请写明需要修改的地方" in response.content.decode()
    act(client, reviewer_a, "return_for_changes", [draft], reason="照片缺少说明")
    draft.refresh_from_db()
    assert draft.review_status == "returned" and draft.return_reason == "照片缺少说明"
    client.force_login(staff_a)
    page = client.get(reverse("admin:publications_publication_change", args=[draft.pk])).content.decode()
    assert "照片缺少说明" in page and "王审核" in page


def test_the_commission_publishes_directly(commission_admin, draft):
    draft.is_published = True
    save(draft)
    draft.refresh_from_db()
    assert draft.review_status == "published"


def test_an_edit_by_unit_staff_takes_a_published_item_back_to_review(staff_a, village_a):
    item = PublicationFactory(title="已发布的新闻", issuing_unit=village_a, is_published=True)
    item.title = "已发布的新闻（修改）"
    review_check_edit(item=item, actor=staff_a, changed=True)
    save(item)
    item.refresh_from_db()
    assert (item.is_published, item.review_status, item.submitted_by) == (False, "submitted", staff_a)


def test_the_database_refuses_a_published_item_that_was_not_reviewed(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.filter(pk=draft.pk).update(is_published=True)


def test_the_reviewer_sees_what_awaits_review_on_the_admin_home(client, staff_a, reviewer_a, draft):
    review_submit(item=draft, actor=staff_a, save=save)
    client.force_login(reviewer_a)
    assert "<strong>1</strong> 待审核的新闻和出版物" in client.get(reverse("admin:index")).content.decode()
    client.force_login(staff_a)
    assert "待审核的新闻和出版物" not in client.get(reverse("admin:index")).content.decode()
