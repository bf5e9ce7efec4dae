import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from bases.models import CultureAsset, EducationBase, VisitBooking, VisitSlot, Volunteer
from bases.tests.factories import (
    CultureAssetFactory,
    EducationBaseFactory,
    VisitSlotFactory,
    VolunteerFactory,
    make_booking,
)
from core.tests.images import gps_jpeg, png_bytes


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


@pytest.fixture
def two_townships(township_a, township_b, village_a, village_b, cadre_a):
    base_a = EducationBaseFactory(name="东山基地", unit=township_a)
    base_b = EducationBaseFactory(name="西河基地", unit=township_b)
    slot_a, slot_b = VisitSlotFactory(base=base_a), VisitSlotFactory(base=base_b)
    CultureAssetFactory(unit=village_a, location="东山文化墙")
    CultureAssetFactory(unit=village_b, location="西河文化墙")
    VolunteerFactory(unit=village_a, name="东山宣传员")
    VolunteerFactory(unit=village_b, name="西河宣传员")
    make_booking(slot_a, cadre_a, village_a, contact_name="东山联系人")
    make_booking(slot_b, cadre_a, village_a, contact_name="西河联系人")
    return base_a, base_b


@pytest.mark.parametrize(
    ("url_name", "mine", "theirs"),
    [
        ("admin:bases_educationbase_changelist", "东山基地", "西河基地"),
        ("admin:bases_cultureasset_changelist", "东山文化墙", "西河文化墙"),
        ("admin:bases_volunteer_changelist", "东山宣传员", "西河宣传员"),
        ("admin:bases_visitbooking_changelist", "东山基地", "西河基地"),
        ("admin:bases_visitslot_changelist", "东山基地", "西河基地"),
    ],
)
def test_staff_lists_are_scoped_to_their_subtree(staff_client, two_townships, url_name, mine, theirs):
    page = staff_client.get(reverse(url_name)).content.decode()
    assert mine in page
    assert theirs not in page


def test_staff_cannot_open_another_townships_base(staff_client, two_townships):
    _base_a, base_b = two_townships
    response = staff_client.get(reverse("admin:bases_educationbase_change", args=[base_b.pk]))
    assert response.status_code == 302


def test_staff_cannot_put_an_asset_into_another_township(staff_client, two_townships, village_b):
    response = staff_client.post(
        reverse("admin:bases_cultureasset_add"), {"kind": "wall", "unit": village_b.pk, "quantity": 1}
    )
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert CultureAsset.objects.count() == 2


def test_slot_base_choices_are_scoped(staff_client, two_townships):
    form = staff_client.get(reverse("admin:bases_visitslot_add")).context["adminform"].form
    assert [base.name for base in form.fields["base"].queryset] == ["东山基地"]


def test_staff_confirm_and_cancel_with_actions(staff_client, two_townships):
    booking = VisitBooking.objects.get(contact_name="东山联系人")
    url = reverse("admin:bases_visitbooking_changelist")
    staff_client.post(url, {"action": "confirm_bookings", "_selected_action": [booking.pk]})
    booking.refresh_from_db()
    assert booking.status == VisitBooking.Status.CONFIRMED
    staff_client.post(url, {"action": "cancel_bookings", "_selected_action": [booking.pk], "reason": "场馆维修"})
    booking.refresh_from_db()
    assert booking.status == VisitBooking.Status.CANCELLED and booking.cancel_reason == "场馆维修"


def test_staff_record_actual_visitors_on_the_change_form(staff_client, two_townships):
    booking = VisitBooking.objects.get(contact_name="东山联系人")
    change_url = reverse("admin:bases_visitbooking_change", args=[booking.pk])
    staff_client.post(change_url, {"_confirm": "1"})
    booking.refresh_from_db()
    assert booking.status == VisitBooking.Status.CONFIRMED
    response = staff_client.post(change_url, {"actual_visitors": "9", "_save": "1"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.actual_visitors == 9


def test_staff_cannot_act_on_another_townships_booking(staff_client, two_townships):
    other = VisitBooking.objects.get(contact_name="西河联系人")
    staff_client.post(
        reverse("admin:bases_visitbooking_changelist"), {"action": "confirm_bookings", "_selected_action": [other.pk]}
    )
    other.refresh_from_db()
    assert other.status == VisitBooking.Status.PENDING


def test_repeating_schedule_form(staff_client, two_townships):
    base_a, base_b = two_townships
    first = timezone.localdate() + datetime.timedelta(days=1)
    data = {
        "base": base_a.pk,
        "weekdays": ["1", "3"],
        "start_time": "09:00",
        "end_time": "11:00",
        "capacity": "60",
        "first_date": first.isoformat(),
        "weeks": "8",
    }
    before = VisitSlot.objects.filter(base=base_a).count()
    response = staff_client.post(reverse("admin:bases_visitslot_repeat"), data)
    assert response.status_code == 302
    assert VisitSlot.objects.filter(base=base_a).count() - before == 16
    refused = staff_client.post(reverse("admin:bases_visitslot_repeat"), {**data, "base": base_b.pk})
    assert "选择一个有效的选项" in refused.content.decode()
    backwards = staff_client.post(reverse("admin:bases_visitslot_repeat"), {**data, "end_time": "08:00"})
    assert "结束时间必须晚于开始时间" in backwards.content.decode()


def test_booking_export_for_a_period_holds_only_the_scope(staff_client, two_townships):
    response = staff_client.post(
        reverse("admin:bases_visitbooking_export"),
        {
            "format": "0",
            **{f"bookingresource_{name}": "on" for name in ["reference", "base", "unit_name", "group_size"]},
        },
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [str(cell.value) for row in workbook.active.iter_rows() for cell in row]
    assert "东山基地" in values and "西河基地" not in values


def test_statistics_count_visitors_per_base_and_month(staff_client, two_townships):
    booking = VisitBooking.objects.get(contact_name="东山联系人")
    from bases.services import booking_confirm, booking_record_attendance

    booking_confirm(booking=booking, actor=None)
    booking_record_attendance(booking=booking, actual_visitors=8, actor=None)
    slot_date = booking.slot.date
    response = staff_client.get(
        reverse("admin:bases_visitbooking_statistics"),
        {"start": (slot_date - datetime.timedelta(days=1)).isoformat(), "end": slot_date.isoformat()},
    )
    rows = response.context["rows"]
    assert [(row["slot__base__name"], row["bookings"], row["actual_visitors"]) for row in rows] == [("东山基地", 1, 8)]


def base_form_data(unit, **extra):
    return {
        "name": "上传测试基地",
        "slug": "",
        "category": "education_base",
        "unit": unit.pk,
        "summary": "简介",
        "body": "<p>正文</p>",
        "is_free": "on",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "order": "100",
        **extra,
    }


def bomb_png():
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evil.png", b"<html><script>alert(1)</script></html>", "不是 JPG、PNG 或 WebP"),
        ("bomb.png", None, "像素过多"),
    ],
)
def test_bad_cover_uploads_are_refused_with_a_message(staff_client, township_a, name, content, message):
    upload = SimpleUploadedFile(name, content or bomb_png(), content_type="image/png")
    response = staff_client.post(reverse("admin:bases_educationbase_add"), base_form_data(township_a, cover=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EducationBase.objects.filter(name="上传测试基地").exists()


def test_cover_with_appended_script_and_gps_is_stored_clean(
    staff_client, township_a, settings, django_capture_on_commit_callbacks
):
    tainted = SimpleUploadedFile("tail.png", png_bytes((900, 600)) + b"<script>alert(1)</script>", "image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:bases_educationbase_add"), base_form_data(township_a, cover=tainted)
        )
    assert response.status_code == 302
    base = EducationBase.objects.get(name="上传测试基地")
    assert b"<script>" not in base.cover.read()
    with Image.open(base.cover_thumbnail) as thumbnail:
        assert thumbnail.size == (480, 320)

    gps = SimpleUploadedFile("gps.jpg", gps_jpeg(), "image/jpeg")
    data = base_form_data(township_a, name="GPS测试基地", cover=gps)
    assert staff_client.post(reverse("admin:bases_educationbase_add"), data).status_code == 302
    with Image.open(EducationBase.objects.get(name="GPS测试基地").cover) as stored:
        assert not stored.getexif().get_ifd(0x8825)


def test_volunteer_phone_is_kept_for_staff(staff_client, two_townships):
    assert "13912345678" in staff_client.get(reverse("admin:bases_volunteer_changelist")).content.decode()
    assert Volunteer.objects.count() == 2


def test_the_history_of_a_visit_slot_opens_for_a_commission_administrator(client, commission_admin, township_a):
    slot = VisitSlotFactory(base=EducationBaseFactory(name="东山基地", unit=township_a))
    client.force_login(commission_admin)
    change = client.post(
        reverse("admin:bases_visitslot_change", args=[slot.pk]), slot_form_data(slot, note="请提前十分钟到达")
    )
    assert change.status_code == 302
    response = client.get(reverse("admin:bases_visitslot_history", args=[slot.pk]))
    assert response.status_code == 200
    records = list(response.context["page_obj"].object_list)
    assert [record.history_user for record in records] == [commission_admin, None]
    assert records[0].note == "请提前十分钟到达"
    assert "commission" in response.content.decode()


def slot_form_data(slot, **changes):
    data = {
        "base": slot.base_id,
        "date": slot.date.isoformat(),
        "start_time": slot.start_time.strftime("%H:%M"),
        "end_time": slot.end_time.strftime("%H:%M"),
        "capacity": str(slot.capacity),
        "note": slot.note,
        "_save": "1",
    }
    if slot.is_closed:
        data["is_closed"] = "on"
    data.update(changes)
    if data.get("is_closed") is False:
        del data["is_closed"]
    return data


@pytest.fixture
def held_slot(two_townships):
    """东山基地's slot with two pending bookings of 10 people each (one from two_townships)."""
    base_a, _base_b = two_townships
    slot = VisitSlot.objects.get(base=base_a)
    booking = VisitBooking.objects.get(slot=slot)
    make_booking(slot, booking.booked_by, booking.unit, contact_name="第二个团")
    return slot


def test_capacity_below_the_seats_held_is_refused_on_the_form(staff_client, held_slot):
    url = reverse("admin:bases_visitslot_change", args=[held_slot.pk])
    response = staff_client.post(url, slot_form_data(held_slot, capacity="19"))
    assert response.status_code == 200
    assert "已预约的 20 人" in response.content.decode()
    assert VisitSlot.objects.get(pk=held_slot.pk).capacity == 60
    assert staff_client.post(url, slot_form_data(held_slot, capacity="20")).status_code == 302
    assert VisitSlot.objects.get(pk=held_slot.pk).capacity == 20


@pytest.mark.parametrize(
    "change", [{"is_closed": "on"}, {"start_time": "10:00"}, {"date": "2099-01-01"}], ids=["close", "start", "date"]
)
def test_a_slot_with_held_bookings_cannot_be_closed_or_moved_on_the_form(staff_client, held_slot, change):
    response = staff_client.post(
        reverse("admin:bases_visitslot_change", args=[held_slot.pk]), slot_form_data(held_slot, **change)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 个预约" in page and "关闭所选时段并取消其预约" in page
    fresh = VisitSlot.objects.get(pk=held_slot.pk)
    assert (fresh.is_closed, fresh.start_time, fresh.date) == (False, held_slot.start_time, held_slot.date)


def test_close_action_cancels_the_bookings_and_the_booker_sees_the_reason(client, staff_a, cadre_a, held_slot):
    client.force_login(staff_a)
    url = reverse("admin:bases_visitslot_changelist")
    data = {"action": "close_and_cancel", "_selected_action": [held_slot.pk]}
    refused = client.post(url, {**data, "reason": ""}, follow=True)
    assert "请填写取消原因" in refused.content.decode()
    assert not VisitSlot.objects.get(pk=held_slot.pk).is_closed
    done = client.post(url, {**data, "reason": "场馆临时维修"}, follow=True)
    assert "2 个预约已取消" in done.content.decode()
    assert VisitSlot.objects.get(pk=held_slot.pk).is_closed
    bookings = VisitBooking.objects.filter(slot=held_slot)
    assert set(bookings.values_list("status", "cancel_reason")) == {("cancelled", "场馆临时维修")}
    client.force_login(cadre_a)
    page = client.get(bookings.first().get_absolute_url()).content.decode()
    assert "已取消" in page and "场馆临时维修" in page


def test_actual_visitors_above_the_group_size_are_a_form_error(staff_client, two_townships):
    booking = VisitBooking.objects.get(contact_name="东山联系人")
    change_url = reverse("admin:bases_visitbooking_change", args=[booking.pk])
    staff_client.post(change_url, {"_confirm": "1"})
    response = staff_client.post(change_url, {"actual_visitors": "11", "_save": "1"})
    assert response.status_code == 200
    assert "不能超过预约人数 10" in response.content.decode()
    booking.refresh_from_db()
    assert booking.actual_visitors is None
