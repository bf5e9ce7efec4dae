"""Public submissions to an open call: clean images, private contact details, a gallery of
selected works only."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from campaigns.models import Submission
from campaigns.services import submission_moderate
from campaigns.tests.factories import OpenCallFactory
from core.tests.images import gps_jpeg, png_bytes
from units.models import Unit
from units.tests.factories import UnitFactory


@pytest.fixture
def school(township_a):
    return UnitFactory(name="东山小学", kind=Unit.Kind.SCHOOL, parent=township_a, code="SCH")


@pytest.fixture
def call(city):
    return OpenCallFactory(organisers=[city])


def submit(client, call, school, image=None, name="作品.png", **extra):
    data = {
        "title": "清风两袖",
        "category": "calligraphy",
        "author_name": "李小明",
        "age_or_grade": "五年级",
        "school": school.pk,
        "school_name": "",
        "guardian_name": "李大明",
        "guardian_phone": "13912345678",
        "statement": "",
        "consent": "on",
        "website": "",
        "image": SimpleUploadedFile(name, image if image is not None else png_bytes((600, 400)), "image/png"),
        **extra,
    }
    return client.post(reverse("campaigns:call-detail", args=[call.pk]), data)


def test_a_student_submits_and_gets_a_receipt_code(client, call, school):
    response = submit(client, call, school)
    submission = Submission.objects.get()
    assert response.status_code == 302 and submission.receipt_code in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert submission.receipt_code in page
    status = client.get(reverse("campaigns:submission-status"), {"code": submission.receipt_code}).content.decode()
    assert "审核中" in status


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "不是 JPG、PNG 或 WebP"),
        (None, "像素过多"),
    ],
)
def test_bad_images_are_refused_and_the_form_keeps_what_was_typed(client, call, school, content, message):
    if content is None:
        buffer = io.BytesIO()
        Image.new("1", (20000, 20000)).save(buffer, "PNG")
        content = buffer.getvalue()
    response = submit(client, call, school, image=content, name="作品.png")
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert 'value="李小明"' in page and 'value="13912345678"' in page
    assert not Submission.objects.exists()


def test_appended_script_and_gps_are_stored_clean(client, call, school):
    submit(client, call, school, image=png_bytes((600, 400)) + b"<script>alert(1)</script>")
    submit(client, call, school, image=gps_jpeg(), name="照片.jpg", title="第二幅")
    first, second = Submission.objects.order_by("pk")
    assert b"<script>" not in first.image.read()
    with Image.open(second.image) as stored:
        assert not stored.getexif().get_ifd(0x8825)


def test_the_same_image_twice_is_refused(client, call, school):
    image = png_bytes((500, 300))
    submit(client, call, school, image=image)
    response = submit(client, call, school, image=image, title="又一次")
    assert "该图片已投稿" in response.content.decode()
    assert Submission.objects.count() == 1


def test_a_closed_call_refuses_with_a_message(client, call, school):
    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    call.save()
    response = submit(client, call, school)
    assert "征集已截止" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_honeypot_drops_bots_silently(client, call, school):
    submit(client, call, school, website="http://spam.example")
    assert not Submission.objects.exists()


def test_submissions_are_throttled_per_address(client, call, school, settings):
    from campaigns import views

    for number in range(views.SUBMISSIONS_PER_IP_PER_HOUR):
        submit(
            client,
            call,
            school,
            image=png_bytes((300 + number, 200)),
            title=f"作品{number}",
            guardian_phone=f"1391234{number:04d}",
        )
    response = submit(client, call, school, image=png_bytes((999, 200)), title="超额")
    assert "提交过于频繁" in response.content.decode()


def test_pending_and_rejected_works_are_never_public(client, call, school):
    submit(client, call, school)
    submit(client, call, school, image=png_bytes((700, 300)), title="落选作品")
    pending, rejected = Submission.objects.order_by("pk")
    submission_moderate(submission=rejected, status=Submission.Status.REJECTED, actor=None)
    gallery = client.get(reverse("campaigns:gallery", args=[call.pk])).content.decode()
    assert "清风两袖" not in gallery and "落选作品" not in gallery
    for work in (pending, rejected):
        for variant in ("image", "thumbnail"):
            assert client.get(reverse("campaigns:gallery-image", args=[work.pk, variant])).status_code == 404
    submission_moderate(submission=pending, status=Submission.Status.ACCEPTED, actor=None)
    gallery = client.get(reverse("campaigns:gallery", args=[call.pk])).content.decode()
    assert "清风两袖" in gallery and "东山小学" in gallery
    assert client.get(reverse("campaigns:gallery-image", args=[pending.pk, "image"])).status_code == 200


def test_guardian_details_appear_on_no_public_page(client, call, school):
    submit(client, call, school)
    work = Submission.objects.get()
    submission_moderate(submission=work, status=Submission.Status.AWARDED, award_level="一等奖", actor=None)
    pages = [
        reverse("campaigns:gallery", args=[call.pk]),
        call.get_absolute_url(),
        reverse("campaigns:submission-receipt", args=[work.receipt_code]),
        reverse("campaigns:submission-status") + f"?code={work.receipt_code}",
        "/",
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert "13912345678" not in page and "李大明" not in page, url
    assert "一等奖" in client.get(pages[0]).content.decode()


def test_awarding_needs_a_level(call, school, client):
    from campaigns.services import CampaignError

    submit(client, call, school)
    with pytest.raises(CampaignError):
        submission_moderate(submission=Submission.objects.get(), status=Submission.Status.AWARDED, actor=None)
