import base64
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from core.spreadsheets import SpreadsheetError
from core.tests.images import png_bytes
from pledges.models import Signature
from pledges.selectors import progress_by_unit, unsigned_cadres
from pledges.services import PledgeError, signature_import, signature_sign_online, signature_void
from pledges.tests.factories import PledgeTextFactory, paper_rows, workbook_bytes
from units.models import Unit
from units.tests.factories import make_member


@pytest.fixture
def pledge(city):
    return PledgeTextFactory(issuing_unit=city)


def test_signing_twice_keeps_one_signature(pledge, cadre_a):
    first = signature_sign_online(pledge=pledge, user=cadre_a)
    second = signature_sign_online(pledge=pledge, user=cadre_a)
    assert first.pk == second.pk and Signature.objects.count() == 1
    assert first.unit.name == "向阳村" and first.signer_name == cadre_a.first_name


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
def test_the_same_cadre_signing_from_many_threads_gets_one_signature(city, cadre_a):
    pledge = PledgeTextFactory(issuing_unit=city)
    barrier, errors = threading.Barrier(10), []

    def sign():
        try:
            barrier.wait(timeout=20)
            signature_sign_online(pledge=pledge, user=cadre_a)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Signature.objects.filter(pledge=pledge, user=cadre_a).count() == 1


def test_users_without_a_unit_cannot_sign(pledge, django_user_model):
    with pytest.raises(PermissionDenied):
        signature_sign_online(pledge=pledge, user=django_user_model.objects.create_user("x"))


def test_closed_texts_cannot_be_signed(city, cadre_a):
    import datetime

    closed = PledgeTextFactory(
        issuing_unit=city, closes_on=datetime.date(2020, 1, 1), opens_on=datetime.date(2019, 1, 1)
    )
    with pytest.raises(PledgeError):
        signature_sign_online(pledge=closed, user=cadre_a)


def test_a_drawn_signature_is_required_and_stored_reencoded(city, cadre_a):
    pledge = PledgeTextFactory(issuing_unit=city, requires_drawn_signature=True)
    with pytest.raises(PledgeError):
        signature_sign_online(pledge=pledge, user=cadre_a, drawn_signature="")
    with pytest.raises(PledgeError):
        signature_sign_online(
            pledge=pledge, user=cadre_a, drawn_signature="data:image/png;base64," + base64.b64encode(b"<svg/>").decode()
        )
    data_url = "data:image/png;base64," + base64.b64encode(png_bytes((300, 120))).decode()
    signature = signature_sign_online(pledge=pledge, user=cadre_a, drawn_signature=data_url)
    assert signature.drawn_signature.read().startswith(b"\x89PNG")


def test_the_signed_text_is_kept_when_staff_edit_it(pledge, cadre_a, village_a):
    signature = signature_sign_online(pledge=pledge, user=cadre_a)
    pledge.body = "<p>修改后的承诺内容。</p>"
    pledge.save()
    other = make_member(village_a, username="later")
    later = signature_sign_online(pledge=pledge, user=other)
    signature.refresh_from_db()
    assert "严守党的纪律" in signature.version.body
    assert later.version.body == "<p>修改后的承诺内容。</p>" and later.version.number == 2


def test_3600_paper_rows_import_in_one_go(pledge, village_a):
    result = signature_import(
        pledge=pledge, workbook_file=workbook_bytes(paper_rows(3600, "向阳村")), units=Unit.objects.all(), actor=None
    )
    assert result.created == 3600
    assert pledge.signatures.valid().count() == 3600


@pytest.mark.parametrize(
    ("bad_row", "problem"),
    [
        (["", "向阳村", "科员", "2020-06-01"], "姓名:empty"),
        (["李四", "", "科员", "2020-06-01"], "单位:empty"),
        (["李四", "不存在村", "科员", "2020-06-01"], "单位:unknown"),
        (["李四", "向阳村", "科员", "六月一日"], "签署日期:not_a_date"),
        (["李四", "向阳村", "科员", "2099-06-01"], "签署日期:future"),
        (['=HYPERLINK("http://x")', "向阳村", "科员", "2020-06-01"], "姓名:formula"),
        ([' =HYPERLINK("http://x")', "向阳村", "科员", "2020-06-01"], "姓名:formula"),
        (["@SUM(A1)", "向阳村", "科员", "2020-06-01"], "姓名:formula"),
        (["李四", "向阳村", "=cmd|' /C calc'!A0", "2020-06-01"], "职务:formula"),
        (["李" * 51, "向阳村", "科员", "2020-06-01"], "姓名:too_long"),
    ],
)
def test_one_bad_row_rejects_the_whole_file_with_its_row_number(pledge, village_a, bad_row, problem):
    rows = paper_rows(10, "向阳村")
    rows.insert(5, bad_row)
    with pytest.raises(SpreadsheetError) as error:
        signature_import(pledge=pledge, workbook_file=workbook_bytes(rows), units=Unit.objects.all(), actor=None)
    assert error.value.code == "rows_refused"
    assert error.value.row_codes == {7: [problem]}
    assert "第 7 行" in error.value.message
    assert not Signature.objects.exists()


def test_units_outside_the_importers_scope_are_unknown(pledge, township_a, village_b):
    with pytest.raises(SpreadsheetError) as error:
        signature_import(
            pledge=pledge,
            workbook_file=workbook_bytes(paper_rows(2, "河口村")),
            units=Unit.objects.subtree(township_a),
            actor=None,
        )
    assert error.value.row_codes == {2: ["单位:unknown"], 3: ["单位:unknown"]}
    assert "未知单位“河口村”" in error.value.message


def test_importing_the_same_file_twice_skips_the_duplicates(pledge, village_a):
    rows = paper_rows(20, "向阳村")
    signature_import(pledge=pledge, workbook_file=workbook_bytes(rows), units=Unit.objects.all(), actor=None)
    again = signature_import(
        pledge=pledge,
        workbook_file=workbook_bytes(rows + paper_rows(3, "向阳村", 100)),
        units=Unit.objects.all(),
        actor=None,
    )
    assert again.created == 3 and len(again.duplicates) == 20
    assert pledge.signatures.count() == 23


def test_not_a_workbook_and_wrong_headings_are_refused(pledge):
    import io

    with pytest.raises(SpreadsheetError) as error:
        signature_import(pledge=pledge, workbook_file=io.BytesIO(b"not excel"), units=Unit.objects.all(), actor=None)
    assert error.value.code == "not_a_workbook"
    with pytest.raises(SpreadsheetError) as error:
        signature_import(
            pledge=pledge, workbook_file=workbook_bytes([], header=["a", "b"]), units=Unit.objects.all(), actor=None
        )
    assert error.value.code == "wrong_headings"


def test_void_signatures_are_not_counted_and_the_cadre_may_sign_again(pledge, cadre_a):
    signature = signature_sign_online(pledge=pledge, user=cadre_a)
    with pytest.raises(PledgeError):
        signature_void(signature=signature, reason=" ", actor=None)
    signature_void(signature=signature, reason="重复签署", actor=None)
    assert pledge.signatures.valid().count() == 0
    assert signature.history.first().void_reason == "重复签署"
    signature_sign_online(pledge=pledge, user=cadre_a)
    assert pledge.signatures.valid().count() == 1


def test_progress_per_unit_against_the_roster(pledge, village_a, village_b, township_a):
    signers = [make_member(village_a, username=f"v{number}", first_name=f"向阳{number}") for number in range(4)]
    make_member(village_b, username="b1", first_name="河口1")
    for signer in signers[:2]:
        signature_sign_online(pledge=pledge, user=signer)
    signature_import(
        pledge=pledge,
        workbook_file=workbook_bytes([["向阳2", "向阳村", "", "2020-06-01"]]),
        units=Unit.objects.all(),
        actor=None,
    )
    rows = {
        row["unit"].name: (row["signed"], row["roster"])
        for row in progress_by_unit(pledge=pledge, units=Unit.objects.subtree(township_a))
    }
    assert rows == {"向阳村": (3, 4)}
    missing = [m.user.first_name for m in unsigned_cadres(pledge=pledge, units=Unit.objects.subtree(township_a))]
    assert missing == ["向阳3"]


def test_a_unit_name_shared_by_two_units_needs_the_code(pledge, township_a, township_b):
    """Two townships each have a 向阳村: the name alone does not say which; the code does."""
    from units.tests.factories import UnitFactory

    UnitFactory(name="向阳村", kind=Unit.Kind.VILLAGE, parent=township_a, code="T-A-X")
    UnitFactory(name="向阳村", kind=Unit.Kind.VILLAGE, parent=township_b, code="T-B-X")
    with pytest.raises(SpreadsheetError) as error:
        signature_import(
            pledge=pledge, workbook_file=workbook_bytes(paper_rows(1, "向阳村")), units=Unit.objects.all(), actor=None
        )
    assert error.value.row_codes == {2: ["单位:ambiguous"]}
    result = signature_import(
        pledge=pledge, workbook_file=workbook_bytes(paper_rows(1, "T-B-X")), units=Unit.objects.all(), actor=None
    )
    assert result.created == 1 and pledge.signatures.get().unit.code == "T-B-X"


def test_imported_signatures_have_history_naming_the_importer(pledge, village_a, staff_a):
    signature_import(
        pledge=pledge, workbook_file=workbook_bytes(paper_rows(3, "向阳村")), units=Unit.objects.all(), actor=staff_a
    )
    assert Signature.history.count() == 3
    assert {row.history_user for row in Signature.history.all()} == {staff_a}


def paper_row(name, unit_name="向阳村"):
    return workbook_bytes([[name, unit_name, "科员", "2020-06-01"]])


def test_a_paper_row_for_a_cadre_who_signed_online_is_listed_apart_and_not_counted(pledge, cadre_a, village_a):
    signature_sign_online(pledge=pledge, user=cadre_a)
    result = signature_import(
        pledge=pledge, workbook_file=paper_row(cadre_a.first_name), units=Unit.objects.all(), actor=None
    )
    assert result.created == 0
    assert result.signed_online == [f"{cadre_a.first_name}（向阳村）"] and result.duplicates == []
    assert pledge.signatures.valid().count() == 1
    rows = progress_by_unit(pledge=pledge, units=Unit.objects.all())
    assert [(row["unit"].name, row["signed"]) for row in rows] == [("向阳村", 1)]


def test_signing_online_after_a_paper_signature_recognises_it_instead_of_counting_twice(pledge, cadre_a, village_a):
    signature_import(pledge=pledge, workbook_file=paper_row(cadre_a.first_name), units=Unit.objects.all(), actor=None)
    paper = pledge.signatures.get()
    signature = signature_sign_online(pledge=pledge, user=cadre_a)
    assert signature.pk == paper.pk and signature.method == Signature.Method.PAPER
    assert pledge.signatures.count() == pledge.signatures.valid().count() == 1
    rows = progress_by_unit(pledge=pledge, units=Unit.objects.all())
    assert [(row["unit"].name, row["signed"], row["roster"]) for row in rows] == [("向阳村", 1, 1)]
    # The paper signature is now the cadre's own: signing again returns it, the history names the cadre.
    paper.refresh_from_db()
    assert paper.user == cadre_a and paper.history.first().history_user == cadre_a
    assert signature_sign_online(pledge=pledge, user=cadre_a).pk == paper.pk


def test_only_the_same_name_in_the_same_unit_is_recognised(pledge, cadre_a, village_a, village_b):
    signature_import(
        pledge=pledge, workbook_file=paper_row(cadre_a.first_name, "河口村"), units=Unit.objects.all(), actor=None
    )
    signature_import(pledge=pledge, workbook_file=paper_row("别的名字"), units=Unit.objects.all(), actor=None)
    signature = signature_sign_online(pledge=pledge, user=cadre_a)
    assert signature.method == Signature.Method.ONLINE and signature.unit == village_a
    assert pledge.signatures.valid().count() == 3
    result = signature_import(
        pledge=pledge, workbook_file=paper_row(cadre_a.first_name), units=Unit.objects.all(), actor=None
    )
    assert (result.created, result.signed_online) == (0, [f"{cadre_a.first_name}（向阳村）"])


def test_a_paper_signature_is_recognised_without_drawing_when_the_text_asks_for_one(city, cadre_a, village_a):
    pledge = PledgeTextFactory(issuing_unit=city, requires_drawn_signature=True)
    signature_import(pledge=pledge, workbook_file=paper_row(cadre_a.first_name), units=Unit.objects.all(), actor=None)
    assert signature_sign_online(pledge=pledge, user=cadre_a, drawn_signature="").method == Signature.Method.PAPER
    assert pledge.signatures.valid().count() == 1


def test_a_paper_signature_claimed_by_one_account_is_not_given_to_another(pledge, village_a):
    first = make_member(village_a, username="zhang1", first_name="张伟")
    second = make_member(village_a, username="zhang2", first_name="张伟")
    signature_import(pledge=pledge, workbook_file=paper_row("张伟"), units=Unit.objects.all(), actor=None)
    assert signature_sign_online(pledge=pledge, user=first).method == Signature.Method.PAPER
    assert signature_sign_online(pledge=pledge, user=second).method == Signature.Method.ONLINE
    assert set(pledge.signatures.valid().values_list("user__username", flat=True)) == {"zhang1", "zhang2"}


def test_the_migration_voids_paper_duplicates_recorded_before_the_fix(pledge, cadre_a, village_a):
    import importlib

    from django.apps import apps

    online = signature_sign_online(pledge=pledge, user=cadre_a)
    version = online.version
    # What the old code let through: a paper row for the same person, written beside the online one.
    duplicate = Signature.objects.create(
        pledge=pledge,
        version=version,
        signer_name=online.signer_name,
        unit=village_a,
        method="paper",
        signed_at=online.signed_at,
    )
    other = Signature.objects.create(
        pledge=pledge, version=version, signer_name="另一人", unit=village_a, method="paper", signed_at=online.signed_at
    )
    migration = importlib.import_module("pledges.migrations.0004_void_paper_duplicates_of_online_signatures")
    migration.void_paper_duplicates(apps, None)
    duplicate.refresh_from_db()
    other.refresh_from_db()
    assert duplicate.is_void and "在线签名" in duplicate.void_reason
    assert not other.is_void
    assert duplicate.history.first().is_void
    assert pledge.signatures.valid().count() == 2
