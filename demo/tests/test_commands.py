import io

from django.core.management import call_command

from campaigns.models import ActivityRecord
from pledges.models import Signature
from units.models import Unit


def test_generate_bulk_adds_a_large_batch_beside_existing_data(city):
    output = io.StringIO()
    call_command("generate_bulk", "--scale", "1", stdout=output)
    assert Unit.objects.filter(kind=Unit.Kind.TOWNSHIP).count() == 10
    assert ActivityRecord.objects.count() == 2000
    assert Signature.objects.count() == 5000
    call_command("generate_bulk", "--scale", "1", stdout=io.StringIO())  # a second batch never collides
    assert ActivityRecord.objects.count() == 4000
    assert "records 2000" in output.getvalue()


def test_generate_bulk_refuses_a_silly_scale(db):
    errors = io.StringIO()
    call_command("generate_bulk", "--scale", "0", stdout=io.StringIO(), stderr=errors)
    assert "1 到 50" in errors.getvalue()
    assert not ActivityRecord.objects.exists()


def test_ensure_admin_prints_how_to_log_in(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    output = io.StringIO()
    call_command("ensure_admin", stdout=output)
    username, password = (tmp_path / "admin-credentials.txt").read_text().split()[:2]
    assert username == "admin" and password in output.getvalue()
    again = io.StringIO()
    call_command("ensure_admin", stdout=again)
    assert password not in again.getvalue()  # printed once, when the account is made
