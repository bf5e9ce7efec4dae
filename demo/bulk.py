"""A large synthetic data set for performance work (`manage.py generate_bulk --scale N`).

Rows are written with bulk_create and carry no images; every run adds a new batch, marked by a
batch code in unit codes and titles, so that it never collides with the demo data."""

import datetime
import random
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from bases.models import EducationBase, VisitBooking, VisitSlot
from campaigns.models import ActivityKind, ActivityOutput, ActivityRecord
from demo.people import names
from pledges.models import PledgeText, Signature
from pledges.services import pledge_current_version
from publications.models import Audience, Placement, Publication, ReadReceipt
from units.models import Membership, Unit
from units.services import unit_save


def generate(scale: int, seed: str) -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    batch = uuid.uuid4().hex[:6].upper()
    root = Unit.objects.filter(parent=None).order_by("pk").first() or unit_save(
        unit=Unit(name="合成市", kind=Unit.Kind.CITY, code=f"B{batch}"), actor=None
    )
    counts = {}

    # Units: 10 townships per scale step, each with 10 villages, a school and a community.
    units = []
    for township_number in range(10 * scale):
        township = unit_save(
            unit=Unit(
                name=f"合成镇{batch}-{township_number}",
                kind=Unit.Kind.TOWNSHIP,
                parent=root,
                code=f"B{batch}T{township_number}",
                order=900,
            ),
            actor=None,
        )
        for village_number in range(12):
            kind = (
                Unit.Kind.VILLAGE
                if village_number < 10
                else (Unit.Kind.SCHOOL if village_number == 10 else Unit.Kind.COMMUNITY)
            )
            units.append(
                unit_save(
                    unit=Unit(
                        name=f"合成{kind.label}{batch}-{township_number}-{village_number}",
                        kind=kind,
                        parent=township,
                        code=f"B{batch}T{township_number}U{village_number}",
                    ),
                    actor=None,
                )
            )
    counts["units"] = len(units)

    # Cadres on the rosters (no password: they cannot log in).
    user_model = get_user_model()
    people = names(20 * scale * 10, seed)
    password = make_password(None)
    users = user_model.objects.bulk_create(
        [
            user_model(username=f"bulk-{batch}-{index}", first_name=name, password=password)
            for index, name in enumerate(people)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, unit=units[index % len(units)], role=Membership.Role.CADRE, position="党员")
            for index, user in enumerate(users)
        ]
    )
    counts["cadres"] = len(users)

    # Bases, slots and bookings.
    bases = EducationBase.objects.bulk_create(
        [
            EducationBase(
                name=f"合成基地{batch}-{index}",
                slug=f"bulk-{batch.lower()}-{index}",
                category=rng.choice(EducationBase.Category.values),
                unit=units[index % len(units)],
                summary="合成数据",
                is_published=True,
                published_at=timezone.now(),
            )
            for index in range(20 * scale)
        ]
    )
    today = timezone.localdate()
    slots = VisitSlot.objects.bulk_create(
        [
            VisitSlot(
                base=base,
                date=today + datetime.timedelta(days=offset),
                start_time=datetime.time(9),
                end_time=datetime.time(11),
                capacity=60,
            )
            for base in bases
            for offset in range(1, 11)
        ]
    )
    VisitBooking.objects.bulk_create(
        [
            VisitBooking(
                slot=slot,
                unit=units[index % len(units)],
                booked_by=users[index % len(users)],
                group_size=10,
                reference=f"B{batch}{index:06d}",
                request_token=uuid.uuid4(),
            )
            for index, slot in enumerate(slots)
        ]
    )
    counts["bases"], counts["slots"] = len(bases), len(slots)

    # Activity records with outputs.
    start = datetime.date(2020, 1, 1)
    records = ActivityRecord.objects.bulk_create(
        [
            ActivityRecord(
                unit=units[index % len(units)],
                date=start + datetime.timedelta(days=index % 900),
                kind=rng.choice(ActivityKind.values),
                title=f"合成活动{index}",
                sessions=rng.randint(1, 5),
                participants=rng.randint(5, 200),
                import_key=f"bulk:{batch}:{index}",
            )
            for index in range(2000 * scale)
        ],
        batch_size=1000,
    )
    ActivityOutput.objects.bulk_create(
        [ActivityOutput(record=record, measure="essays", quantity=rng.randint(1, 10)) for record in records[::2]],
        batch_size=1000,
    )
    counts["records"] = len(records)

    # Publications with placements; read receipts for the restricted ones.
    publications = Publication.objects.bulk_create(
        [
            Publication(
                kind=rng.choice(Publication.Kind.values),
                title=f"合成资料{batch}-{index}",
                audience=Audience.CADRES if index % 4 == 0 else Audience.PUBLIC,
                issuing_unit=root,
                is_published=True,
                published_at=timezone.now(),
                issued_on=start + datetime.timedelta(days=index),
            )
            for index in range(200 * scale)
        ]
    )
    Placement.objects.bulk_create(
        [
            Placement(publication=publication, channel=rng.choice(Placement.Channel.values), date=publication.issued_on)
            for publication in publications
        ]
    )
    restricted = [publication for publication in publications if publication.audience == Audience.CADRES]
    ReadReceipt.objects.bulk_create(
        [
            ReadReceipt(publication=publication, user=user, unit=units[index % len(units)])
            for publication in restricted[:20]
            for index, user in enumerate(users)
            if index % 3
        ],
        batch_size=2000,
    )
    counts["publications"] = len(publications)

    # Paper signatures for one pledge text.
    pledge = PledgeText.objects.create(
        title=f"合成承诺书{batch}",
        body="<p>合成数据</p>",
        issuing_unit=root,
        is_published=True,
        published_at=timezone.now(),
    )
    version = pledge_current_version(pledge)
    signatures = Signature.objects.bulk_create(
        [
            Signature(
                pledge=pledge,
                version=version,
                signer_name=name,
                unit=units[index % len(units)],
                method=Signature.Method.PAPER,
                signed_at=timezone.now(),
                verification_code=f"{batch}{index:06X}",
            )
            for index, name in enumerate(names(5000 * scale, seed + "sig"))
        ],
        batch_size=2000,
    )
    counts["signatures"] = len(signatures)
    return counts
