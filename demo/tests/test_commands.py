import io
import re

import pytest
from django.core.management import call_command

from campaigns.models import ActivityRecord
from pledges.models import Signature


def test_generate_bulk_prints_the_rows_of_each_table_and_adds_a_new_batch_each_run(city):
    output = io.StringIO()
    call_command("generate_bulk", "--scale", "1", stdout=output)
    printed = dict(re.findall(r"^  (\w+)\s+(\d+)$", output.getvalue(), re.MULTILINE))
    assert printed["campaigns_activityrecord"] == str(ActivityRecord.objects.count())
    total = re.search(r"合计 / total (\d+)", output.getvalue())
    assert int(total.group(1)) == sum(map(int, printed.values()))
    call_command("generate_bulk", "--scale", "1", stdout=io.StringIO())  # a second batch never collides
    assert ActivityRecord.objects.count() == 2 * int(printed["campaigns_activityrecord"])
    assert Signature.objects.count() == 2 * int(printed["pledges_signature"])


@pytest.mark.parametrize("scale", ["0", "201"])
def test_generate_bulk_refuses_a_silly_scale(db, scale):
    errors = io.StringIO()
    call_command("generate_bulk", "--scale", scale, stdout=io.StringIO(), stderr=errors)
    assert "1 到 200" in errors.getvalue()
    assert not ActivityRecord.objects.exists()
