"""At most 8 queries on every public and cadre page, whatever the amount of data: the same budget
holds with one item of everything and with fifteen (lists paginate, details prefetch, counts are
aggregated in the database). Anonymous pages are measured as rendered, past the page cache."""

import datetime

import pytest
from django.contrib.auth.signals import user_logged_in
from django.utils import timezone

from bases.tests.factories import EducationBaseFactory, ExhibitionSectionFactory, VisitSlotFactory, make_booking
from campaigns.models import ActivityKind
from campaigns.tests.factories import CampaignFactory, make_record
from pledges.services import signature_sign_online
from pledges.tests.factories import PledgeTextFactory
from publications.models import Audience, Publication
from publications.tests.factories import PublicationFactory

BUDGET = 8
# A cookie the page cache does not know: the page is rendered, as on a cache miss.
RENDER = {"cookie": "render=1"}


def populate(size: int, *, city, village, cadre) -> dict:
    """`size` of everything a public or cadre page lists, with its parts; the first of each."""
    first = {}
    for number in range(size):
        base = EducationBaseFactory(unit=village, address="东山镇清风路1号")
        ExhibitionSectionFactory(base=base)
        slot = VisitSlotFactory(base=base, date=timezone.localdate() + datetime.timedelta(days=number + 1))
        booking = make_booking(slot, cadre, village)
        campaign = CampaignFactory(organisers=[city])
        for day in range(3):
            make_record(
                village,
                datetime.date(2022, 1, day + 1),
                kind=ActivityKind.STUDY,
                participants=10,
                campaign=campaign,
                outputs={"essays": 2},
            )
        public = PublicationFactory(issuing_unit=city)
        restricted = PublicationFactory(
            issuing_unit=city, audience=Audience.CADRES, kind=Publication.Kind.CASE_BULLETIN
        )
        pledge = PledgeTextFactory(issuing_unit=city)
        signature = signature_sign_online(pledge=pledge, user=cadre)
        first = first or {
            "base": base.get_absolute_url(),
            "booking": booking.get_absolute_url(),
            "campaign": campaign.get_absolute_url(),
            "public": public.get_absolute_url(),
            "restricted": restricted.get_absolute_url(),
            "pledge": pledge.get_absolute_url(),
            "certificate": signature.get_absolute_url(),
        }
    return first


PUBLIC_PAGES = [
    "/",
    "/bases/",
    "base",
    "/campaigns/",
    "campaign",
    "/publications/",
    "public",
    "/pledges/",
    "pledge",
    "/stats/",
    "/news/feed/",
    "/sitemap.xml",
    "/sitemap-publications.xml",
]
CADRE_PAGES = ["/bulletins/", "restricted", "/pledges/", "pledge", "/bases/my-bookings/", "certificate", "booking"]


@pytest.mark.parametrize("size", [1, 15])
def test_public_pages_stay_within_the_budget(client, city, village_a, cadre_a, size, django_assert_max_num_queries):
    urls = populate(size, city=city, village=village_a, cadre=cadre_a)
    client.get("/about/", headers=RENDER)  # what every page shares is remembered once per content change
    for page in PUBLIC_PAGES:
        url = urls.get(page, page)
        with django_assert_max_num_queries(BUDGET):
            response = client.get(url, headers=RENDER)
        assert response.status_code == 200, url


@pytest.mark.parametrize("size", [1, 15])
def test_cadre_pages_stay_within_the_budget(client, city, village_a, cadre_a, size, django_assert_max_num_queries):
    urls = populate(size, city=city, village=village_a, cadre=cadre_a)
    client.force_login(cadre_a)
    client.get("/about/")
    for page in CADRE_PAGES:
        url = urls.get(page, page)
        # An article also asks for its 上一篇 and 下一篇 (one query each), whatever the data size.
        with django_assert_max_num_queries(BUDGET + 2 if page == "restricted" else BUDGET):
            response = client.get(url)
        assert response.status_code == 200, url
        assert cadre_a.get_full_name() in response.content.decode() or page == "certificate"


def test_budgets_are_measured_on_pages_that_show_the_data(client, city, village_a, cadre_a):
    """The pages measured above list what was created (a budget on empty pages proves nothing)."""
    populate(3, city=city, village=village_a, cadre=cadre_a)
    client.force_login(cadre_a)
    bulletins = client.get("/bulletins/").content.decode()
    assert bulletins.count("案例") >= 1
    assert user_logged_in  # the cadre's pages are personal: their name is on them
