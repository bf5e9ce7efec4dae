import datetime
import io

import factory
import openpyxl
from django.utils import timezone

from campaigns.models import ActivityKind, ActivityOutput, ActivityRecord, Campaign, OpenCall
from campaigns.services import IMPORT_COLUMNS, activity_record_save, campaign_save, open_call_save


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"廉洁文化主题活动{n}")
    kind = ActivityKind.THEME_EDUCATION
    starts_on = datetime.date(2020, 3, 1)
    summary = "活动简介"
    is_published = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return campaign_save(campaign=model_class(*args, **kwargs), actor=None)

    @factory.post_generation
    def organisers(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisers.set(extracted)

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)


def make_record(
    unit,
    day,
    kind=ActivityKind.STUDY,
    sessions=1,
    participants=None,
    campaign=None,
    outputs=None,
    title="学习研讨",
    is_published=True,
):
    record = activity_record_save(
        record=ActivityRecord(
            unit=unit,
            date=day,
            kind=kind,
            title=title,
            sessions=sessions,
            participants=participants,
            campaign=campaign,
            is_published=is_published,
        ),
        actor=None,
    )
    for measure, quantity in (outputs or {}).items():
        ActivityOutput.objects.create(record=record, measure=measure, quantity=quantity)
    return record


class OpenCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpenCall
        skip_postgeneration_save = True

    title = "2020年青少年书画评展征稿"
    rules = "<p>面向全市中小学生征集廉洁文化书画作品。</p>"
    audience = "全市中小学生"
    categories = ["calligraphy", "painting"]
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    is_published = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return open_call_save(call=model_class(*args, **kwargs), actor=None)

    @factory.post_generation
    def organisers(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisers.set(extracted)


def records_workbook(rows) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(IMPORT_COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer
