"""Many cadres signing a new or reworded text at the same moment, on real PostgreSQL connections."""

import threading
import time

import pytest
from django.db import connection

from pledges import services
from pledges.models import PledgeText, PledgeVersion, Signature
from pledges.services import signature_sign_online
from pledges.tests.factories import PledgeTextFactory
from units.tests.factories import make_member

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locking needs PostgreSQL (set DATABASE_URL)"),
]

SIGNERS = 20


def sign_all_at_once(pledge, cadres):
    barrier = threading.Barrier(len(cadres))
    signed, errors = [], []

    def worker(cadre):
        try:
            barrier.wait(timeout=30)
            signed.append(signature_sign_online(pledge=pledge, user=cadre).pk)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=[cadre]) for cadre in cadres]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return signed, errors


@pytest.fixture
def cadres(village_a):
    return [
        make_member(village_a, username=f"signer{number}", first_name=f"签署人{number}") for number in range(SIGNERS)
    ]


@pytest.fixture
def wide_window(monkeypatch):
    """A pause between "no version matches the text" and creating one, to widen the race."""
    monkeypatch.setattr(services, "_before_new_version", lambda: time.sleep(0.2))


@pytest.mark.parametrize("reworded", [False, True], ids=["new", "reworded"])
def test_twenty_cadres_signing_at_once_all_get_a_signature_and_one_version(
    city, cadres, village_a, wide_window, reworded
):
    pledge = PledgeTextFactory(issuing_unit=city)
    if reworded:
        signature_sign_online(pledge=pledge, user=make_member(village_a, username="early"))
        PledgeText.objects.filter(pk=pledge.pk).update(body="<p>修改后的承诺内容。</p>")
        pledge.refresh_from_db()
    signed, errors = sign_all_at_once(pledge, cadres)
    assert errors == []
    assert len(set(signed)) == SIGNERS
    assert Signature.objects.filter(pledge=pledge, user__in=cadres).count() == SIGNERS
    latest = PledgeVersion.objects.filter(pledge=pledge).order_by("-number").first()
    assert latest.number == (2 if reworded else 1) and latest.body == pledge.body
    assert set(Signature.objects.filter(user__in=cadres).values_list("version", flat=True)) == {latest.pk}


def test_without_the_pledge_lock_signers_race_to_create_the_version(city, cadres, wide_window, monkeypatch):
    """Proves the race is real: with no lock on the text, the first signers all try version 1."""
    monkeypatch.setattr(services, "_lock_pledge", lambda pledge_id: PledgeText.objects.get(pk=pledge_id))
    pledge = PledgeTextFactory(issuing_unit=city)
    signed, errors = sign_all_at_once(pledge, cadres)
    assert errors and all("IntegrityError" in error for error in errors)
    assert Signature.objects.filter(pledge=pledge).count() == len(signed) < SIGNERS


def paper_import_and_online_signing_at_once(pledge, cadre):
    from pledges.services import signature_import
    from pledges.tests.factories import workbook_bytes
    from units.models import Unit

    barrier, errors = threading.Barrier(2), []

    def run(operation):
        try:
            barrier.wait(timeout=30)
            operation()
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    upload = workbook_bytes([[cadre.first_name, "向阳村", "科员", "2020-06-01"]])
    operations = [
        lambda: signature_import(pledge=pledge, workbook_file=upload, units=Unit.objects.all(), actor=None),
        lambda: signature_sign_online(pledge=pledge, user=cadre),
    ]
    threads = [threading.Thread(target=run, args=[operation]) for operation in operations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.fixture
def text_with_a_version(city, village_a):
    pledge = PledgeTextFactory(issuing_unit=city)
    signature_sign_online(pledge=pledge, user=make_member(village_a, username="first", first_name="先签者"))
    return pledge


@pytest.fixture
def slow_duplicate_check(monkeypatch):
    monkeypatch.setattr(services, "_after_duplicate_check", lambda: time.sleep(0.3))


def test_a_paper_import_and_online_signing_of_one_person_at_once_count_once(
    text_with_a_version, cadre_a, slow_duplicate_check
):
    errors = paper_import_and_online_signing_at_once(text_with_a_version, cadre_a)
    assert errors == []
    mine = text_with_a_version.signatures.valid().filter(signer_name=cadre_a.first_name, unit=cadre_a.membership.unit)
    assert mine.count() == 1


def test_without_the_pledge_lock_one_person_is_counted_twice(
    text_with_a_version, cadre_a, slow_duplicate_check, monkeypatch
):
    monkeypatch.setattr(services, "_lock_pledge", lambda pledge_id: PledgeText.objects.get(pk=pledge_id))
    errors = paper_import_and_online_signing_at_once(text_with_a_version, cadre_a)
    assert errors == []
    mine = text_with_a_version.signatures.valid().filter(signer_name=cadre_a.first_name, unit=cadre_a.membership.unit)
    assert mine.count() == 2
