"""No empty 栏目: a column is in the public navigation only while it has items for the visitor
(core/columns.py, each app's `columns()`), and its address still answers while it is empty."""

import pytest
from django.urls import reverse

from bases.services import base_save
from bases.tests.factories import EducationBaseFactory
from publications.models import Audience, Publication
from publications.tests.factories import PublicationFactory
from units.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

NAVIGATION = 'aria-label="主导航"'


def _navigation(client) -> str:
    page = client.get("/").content.decode()
    return page.split(NAVIGATION, 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize(
    ("url_name", "label"),
    [
        ("bases:base-list", "教育基地"),
        ("publications:publication-list", "资料与通报"),
    ],
)
def test_an_empty_column_is_hidden_but_its_page_answers(client, url_name, label):
    url = reverse(url_name)
    assert url not in _navigation(client)
    response = client.get(url)
    assert response.status_code == 200


def test_a_column_appears_when_its_first_item_is_published_and_goes_when_it_is_withdrawn(client):
    base = EducationBaseFactory(is_published=False)
    assert reverse("bases:base-list") not in _navigation(client)
    base.is_published = True
    base_save(base=base, actor=None)
    assert reverse("bases:base-list") in _navigation(client)
    base.is_published = False
    base_save(base=base, actor=None)
    assert reverse("bases:base-list") not in _navigation(client)


def test_a_column_with_only_restricted_items_is_hidden_from_the_public(client, cadre_a):
    PublicationFactory(audience=Audience.CADRES)
    url = reverse("publications:publication-list")
    assert url not in _navigation(client)
    client.force_login(cadre_a)
    assert url in _navigation(client)


def test_the_case_bulletin_column_needs_a_bulletin_the_cadre_may_read(client, cadre_a):
    client.force_login(cadre_a)
    url = reverse("publications:bulletin-list")
    assert url not in _navigation(client)
    PublicationFactory(kind=Publication.Kind.CASE_BULLETIN, audience=Audience.CADRES, issuing_unit=UnitFactory())
    assert url in _navigation(client)
    client.logout()
    assert url not in _navigation(client)


def test_a_kind_tab_appears_only_with_items(client):
    PublicationFactory(kind=Publication.Kind.NEWS)
    page = client.get(reverse("publications:publication-list")).content.decode()
    assert "?kind=news" in page and "?kind=study_material" not in page
