import datetime
import uuid

import factory
from django.utils import timezone

from bases.models import CultureAsset, EducationBase, ExhibitionSection, VisitSlot, Volunteer
from bases.services import base_save, booking_create, slot_save
from units.tests.factories import UnitFactory


class EducationBaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducationBase

    name = factory.Sequence(lambda n: f"廉洁教育基地{n}")
    category = EducationBase.Category.EDUCATION_BASE
    unit = factory.SubFactory(UnitFactory)
    summary = "集红色教育、警示教育、家风教育于一体的廉洁教育阵地。"
    is_published = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return base_save(base=model_class(*args, **kwargs), actor=None)


class ExhibitionSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExhibitionSection

    base = factory.SubFactory(EducationBaseFactory)
    order = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"展区{n}")
    text = "展区介绍文字。"


class VisitSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitSlot

    base = factory.SubFactory(EducationBaseFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    start_time = datetime.time(9, 0)
    end_time = datetime.time(11, 0)
    capacity = 60

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return slot_save(slot=model_class(*args, **kwargs), actor=None)


class CultureAssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CultureAsset

    kind = CultureAsset.Kind.WALL
    unit = factory.SubFactory(UnitFactory)
    location = "村委会广场"
    quantity = 1


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    name = factory.Sequence(lambda n: f"宣传员{n}")
    unit = factory.SubFactory(UnitFactory)
    phone = "13912345678"


def make_booking(slot, user, unit, group_size=10, **extra):
    return booking_create(
        slot=slot,
        unit=unit,
        actor=user,
        group_size=group_size,
        contact_name=extra.pop("contact_name", "王联系"),
        contact_phone=extra.pop("contact_phone", "13800001111"),
        request_token=extra.pop("request_token", uuid.uuid4()),
        **extra,
    )


def make_public_booking(slot, group_size=10, **extra):
    """A booking from the public site by someone without an account."""
    return booking_create(
        slot=slot,
        actor=None,
        visitor=extra.pop("visitor", "organisation"),
        organisation=extra.pop("organisation", "东山中学"),
        purpose=extra.pop("purpose", "研学实践"),
        group_size=group_size,
        contact_name=extra.pop("contact_name", "李老师"),
        contact_phone=extra.pop("contact_phone", "13912345678"),
        request_token=extra.pop("request_token", uuid.uuid4()),
        **extra,
    )
