"""Pledges of section 二: 3,600 《廉洁自律承诺书》, 150 《不操办“升学宴”“谢师宴”承诺书》 and the
《构筑廉洁防线、共建清廉家庭》 initiative letter — paper signatures, entered as staff would import them."""

import datetime

from django.utils import timezone

from core.models import Topic
from demo.dates import published_on
from demo.people import names
from pledges.models import PledgeText, Signature
from pledges.services import pledge_current_version, pledge_save

TEXTS = [
    {
        "title": "廉洁自律承诺书",
        "kind": PledgeText.Kind.PLEDGE,
        "audience": PledgeText.Audience.ALL_CADRES,
        "topics": [Topic.SELF_DISCIPLINE],
        "signatures": 3600,
        "published_on": datetime.date(2020, 5, 20),
        "signed_on": datetime.date(2020, 6, 1),
        "drawn": True,
        "body": "<p>为进一步加强党风廉政建设，自觉做到廉洁从政、勤政为民，本人郑重承诺：</p><ol>"
        "<li>严守党的政治纪律和政治规矩，坚决贯彻执行中央八项规定及其实施细则精神。</li>"
        "<li>秉公用权，不以权谋私，不收受可能影响公正执行公务的礼品、礼金、消费卡。</li>"
        "<li>严格执行廉洁自律各项规定，管好配偶、子女和身边工作人员。</li>"
        "<li>自觉接受组织和群众监督，如有违反，愿接受组织处理。</li></ol>",
    },
    {
        "title": "党员干部不操办“升学宴”“谢师宴”承诺书",
        "kind": PledgeText.Kind.PLEDGE,
        "audience": PledgeText.Audience.ALL_CADRES,
        "topics": [Topic.BANQUETS],
        "signatures": 150,
        "published_on": datetime.date(2020, 7, 1),
        "signed_on": datetime.date(2020, 7, 15),
        "body": "<p>本人郑重承诺：不以任何名义操办或参加“升学宴”“谢师宴”，不借子女升学之机收受礼金礼品，"
        "自觉抵制不良风气，带头树立文明新风。</p>",
    },
    {
        "title": "构筑廉洁防线、共建清廉家庭倡议书",
        "kind": PledgeText.Kind.INITIATIVE,
        "audience": PledgeText.Audience.COMMISSION,
        "signatures": 0,
        "published_on": datetime.date(2021, 1, 15),
        "signed_on": None,
        "body": "<p>全市纪检监察干部及家属：家庭是社会的细胞，家风是社会风气的重要组成部分。我们倡议："
        "崇廉尚俭、廉洁齐家，当好廉内助，守好家门口，共同构筑家庭廉洁防线。</p>",
    },
]


def load_pledges(units):
    roster_units = [unit for code, unit in units.items() if "-" in code or code in {"SWJ", "JTJ", "ZGH", "WL"}]
    for spec in TEXTS:
        pledge = PledgeText.objects.filter(title=spec["title"]).first() or PledgeText(title=spec["title"])
        pledge.kind, pledge.audience, pledge.body = spec["kind"], spec["audience"], spec["body"]
        pledge.issuing_unit, pledge.is_published = units["JW"], True
        pledge.requires_drawn_signature = spec.get("drawn", False)
        pledge_save(pledge=pledge, actor=None)
        published_on(pledge, spec["published_on"])
        pledge.topics.set(Topic.objects.filter(code__in=spec.get("topics", [])))
        wanted = spec["signatures"]
        have = pledge.signatures.filter(method=Signature.Method.PAPER).count()
        if have >= wanted:
            continue
        version = pledge_current_version(pledge)
        signed_at = timezone.make_aware(datetime.datetime.combine(spec["signed_on"], datetime.time(10)))
        people = names(wanted, spec["title"])
        Signature.objects.bulk_create(
            [
                Signature(
                    pledge=pledge,
                    version=version,
                    signer_name=name,
                    unit=roster_units[index % len(roster_units)],
                    method=Signature.Method.PAPER,
                    signed_at=signed_at,
                    verification_code=f"DEMO{pledge.pk:02d}{index:05d}",
                )
                for index, name in enumerate(people)
            ][have:],
            batch_size=1000,
        )
