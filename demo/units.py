"""The demo city: a fictional 云岭市 with its organs, townships, villages, schools and communities."""

from django.utils.translation import gettext_lazy as _

from units.models import Membership, Unit
from units.services import membership_assign, unit_save

ORGANS = [
    ("JW", "市纪委监委", Unit.Kind.ORGAN),
    ("JW-XCB", "市纪委宣传部", Unit.Kind.ORGAN),
    ("XCB", "市委宣传部", Unit.Kind.ORGAN),
    ("SWJ", "市税务局", Unit.Kind.ORGAN),
    ("JTJ", "市教体局", Unit.Kind.ORGAN),
    ("WL", "市文联", Unit.Kind.ORGAN),
    ("ZGH", "市总工会", Unit.Kind.ORGAN),
    ("SFXH", "市书法协会", Unit.Kind.ASSOCIATION),
    ("DST", "市电视台", Unit.Kind.ORGAN),
    ("PZ1", "市纪委监委第一派驻纪检监察组", Unit.Kind.STATIONED_AGENCY),
    ("XCZ", "下城子开发区", Unit.Kind.ORGAN),
]
ENTERPRISES = [("XCZ-E1", "云岭木业有限公司"), ("XCZ-E2", "下城子粮食加工有限公司"), ("XCZ-E3", "云岭新材料有限公司")]
# (code, township, villages: the first one is the township's demonstration village)
TOWNSHIPS = [
    ("T01", "兴源镇", ["向阳村", "东兴村", "红旗村"]),
    ("T02", "河西镇", ["河西村", "柳河村"]),
    ("T03", "三道镇", ["三道村", "密营村"]),
    ("T04", "石门镇", ["石门村", "北沟村"]),
    ("T05", "太平镇", ["太平村", "新民村"]),
    ("T06", "柳树镇", ["柳树村", "前进村"]),
    ("T07", "青松乡", ["青松村", "和平村"]),
    ("T08", "红星镇", ["红星村", "光明村"]),
]

DEMO_PASSWORD = "Qingfeng-demo-2026"  # noqa: S105 - demo accounts for local use, printed by make run
ACCOUNTS = [
    # username, name, unit code, role, position, reviewer (信息发布审核)
    ("jiwei", "赵管理", "JW-XCB", Membership.Role.COMMISSION_ADMIN, "宣传部部长", False),
    ("xingyuan", "李填报", "T01", Membership.Role.UNIT_STAFF, "镇纪委副书记", False),
    ("shenhe", "周审核", "T01", Membership.Role.UNIT_STAFF, "镇纪委书记", True),
    ("xiaoxue", "孙老师", "T01-S", Membership.Role.UNIT_STAFF, "德育主任", False),
    ("ganbu", "张干部", "T01-V1", Membership.Role.CADRE, "村党支部书记", False),
]
# A reviewer for every other township too (not printed: the demo's story is told in 兴源镇).
REVIEWERS = [
    (f"shenhe-{code.lower()}", "审核员", code, Membership.Role.UNIT_STAFF, "镇纪委书记", True)
    for code, _name, _villages in TOWNSHIPS
    if code != "T01"
]


def _unit(code, name, kind, parent, order=0):
    unit = Unit.objects.filter(code=code).first() or Unit(code=code)
    unit.name, unit.kind, unit.parent, unit.order = name, kind, parent, order
    return unit_save(unit=unit, actor=None)


def load_units() -> dict[str, Unit]:
    units = {}
    city = units["CITY"] = _unit("CITY", "云岭市", Unit.Kind.CITY, None)
    for order, (code, name, kind) in enumerate(ORGANS, start=1):
        parent = units["JW"] if code.startswith(("JW-", "PZ")) else city
        units[code] = _unit(code, name, kind, parent, order)
    for code, name in ENTERPRISES:
        units[code] = _unit(code, name, Unit.Kind.ENTERPRISE, units["XCZ"])
    for order, (code, name, villages) in enumerate(TOWNSHIPS, start=100):
        township = units[code] = _unit(code, name, Unit.Kind.TOWNSHIP, city, order)
        for number, village in enumerate(villages, start=1):
            units[f"{code}-V{number}"] = _unit(f"{code}-V{number}", village, Unit.Kind.VILLAGE, township, number)
        units[f"{code}-S"] = _unit(f"{code}-S", f"{name[:-1]}中心小学", Unit.Kind.SCHOOL, township, 50)
        units[f"{code}-C"] = _unit(f"{code}-C", f"{name[:-1]}社区", Unit.Kind.COMMUNITY, township, 60)
    return units


def load_accounts(units, user_model) -> list[tuple[str, str, str]]:
    printed = []
    for username, name, unit_code, role, position, reviewer in ACCOUNTS + REVIEWERS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_user(username=username, password=DEMO_PASSWORD, first_name=name)
        membership_assign(
            user=user, unit=units[unit_code], role=role, position=position, can_review=reviewer, actor=None
        )
        if (username, name, unit_code, role, position, reviewer) in ACCOUNTS:
            label = _("Reviewer") if reviewer else Membership.Role(role).label
            printed.append((username, str(label), units[unit_code].name))
    return printed


def load_roster(units, user_model, per_unit: int = 8) -> list:
    """Generated cadres (no password: they cannot log in) on the rosters of the villages,
    communities and schools, so that read rates and signing progress have people to count."""
    from django.contrib.auth.hashers import make_password

    from demo.people import names

    codes = [code for code in units if code.endswith(("-V1", "-V2", "-C", "-S"))]
    wanted = {
        f"demo-{code.lower()}-{number}": (code, name)
        for code in codes
        for number, name in enumerate(names(per_unit, code))
    }
    existing = set(user_model.objects.filter(username__in=wanted).values_list("username", flat=True))
    user_model.objects.bulk_create(
        [
            user_model(username=username, first_name=name, password=make_password(None))
            for username, (code, name) in wanted.items()
            if username not in existing
        ]
    )
    users = user_model.objects.filter(username__in=wanted).in_bulk(field_name="username")
    have = set(Membership.objects.filter(user__username__in=wanted).values_list("user__username", flat=True))
    Membership.objects.bulk_create(
        [
            Membership(user=users[username], unit=units[code], role=Membership.Role.CADRE, position="党员")
            for username, (code, _name) in wanted.items()
            if username not in have
        ]
    )
    return [users[username] for username in sorted(wanted)]
