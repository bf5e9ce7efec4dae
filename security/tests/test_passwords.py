"""D. The password rule: 12 characters at least, not common, not like the account, and none of the
names of this site, its city, its commission or its units."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import SiteSettings
from security.tests.helpers import log_in
from units.tests.factories import DEFAULT_PASSWORD

WEAK = [
    "qingfeng2026",
    "Yunling@2026",
    "Qingfeng-demo-2026",
    "12345678",
    "password1234",
    "jiwei2026!!",
    "云岭市纪委监委2026",
    "qwertyuiop123",  # common
    "staff_a-2026",  # like the username
    "Q1ngF3ng#Lake",  # look-alike digits
    "东山镇廉政建设2026",  # a unit's name
    "Dongshan-Lake-2026",  # a unit's name in pinyin
    "清风网-abc-2026x",  # the site's name
]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_refused(staff_a, password):
    with pytest.raises(ValidationError):
        validate_password(password, staff_a)


@pytest.mark.parametrize("password", ["Lantern-orchid-meadow-47", "风起于青萍之末-2026-tea"])
def test_a_good_password_is_accepted(staff_a, password):
    assert validate_password(password, staff_a) is None


def test_the_demo_password_is_refused_with_debug_off(settings, cadre_a):
    settings.DEBUG = False
    with pytest.raises(ValidationError) as refused:
        validate_password("Qingfeng-demo-2026", cadre_a)
    assert "qingfeng" in " ".join(refused.value.messages)


def test_names_come_from_the_site_settings(db):
    row = SiteSettings.load()
    row.city_name, row.commission_name = "青川市", "青川市纪委监委"
    row.save()
    for password in ["Qingchuan-lake-2026", "青川-lake-2026x"]:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_the_password_page_refuses_a_weak_password_in_chinese(client, cadre_a):
    log_in(client, "cadre_a")
    response = client.post(
        reverse("password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": "qingfeng2026", "new_password2": "qingfeng2026"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "密码中含有与本网站相关的名称“qingfeng”" in html
    assert "至少" in html and "12" in html  # Django's own rule, in Chinese
    cadre_a.refresh_from_db()
    assert cadre_a.check_password(DEFAULT_PASSWORD)


def test_the_password_page_explains_the_rules(client, cadre_a):
    log_in(client, "cadre_a")
    assert "不能包含网站、城市、纪委监委或单位的名称" in client.get(reverse("password_change")).content.decode()
