import datetime
import io

import factory
import openpyxl

from pledges.models import PledgeText
from pledges.services import IMPORT_COLUMNS, pledge_save
from units.tests.factories import UnitFactory


class PledgeTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgeText

    title = factory.Sequence(lambda n: f"廉洁自律承诺书{n}")
    body = "<p>本人郑重承诺：严守党的纪律，廉洁从政，秉公用权。</p>"
    issuing_unit = factory.SubFactory(UnitFactory)
    is_published = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return pledge_save(pledge=model_class(*args, **kwargs), actor=None)


def workbook_bytes(rows, header=IMPORT_COLUMNS) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "signatures.xlsx"
    return buffer


def paper_rows(count, unit_name, start=0):
    return [
        [f"干部{number:05d}", unit_name, "科员", datetime.date(2020, 6, 1)] for number in range(start, start + count)
    ]


PNG_DATA_URL_PREFIX = "data:image/png;base64,"
