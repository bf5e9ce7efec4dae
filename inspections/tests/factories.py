import datetime

import factory

from inspections.models import Inspection, Occasion, OccasionPeriod
from inspections.services import inspection_save


def occasion(name="清明"):
    return Occasion.objects.get_or_create(name=name, defaults={"order": 9})[0]


class OccasionPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OccasionPeriod
        django_get_or_create = ("occasion", "year")

    occasion = factory.LazyFunction(occasion)
    year = 2021
    starts_on = factory.LazyAttribute(lambda period: datetime.date(period.year, 3, 30))
    ends_on = factory.LazyAttribute(lambda period: datetime.date(period.year, 4, 6))


class InspectionFactory(factory.django.DjangoModelFactory):
    """A carried-out inspection on its period's first day, saved through the service (validated)."""

    class Meta:
        model = Inspection

    period = factory.SubFactory(OccasionPeriodFactory)
    title = factory.Sequence(lambda n: f"节日期间专项检查{n}")
    planned_on = factory.LazyAttribute(lambda inspection: inspection.period.starts_on)
    done_on = factory.LazyAttribute(lambda inspection: inspection.planned_on)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return inspection_save(inspection=model_class(*args, **kwargs), actor=None)
