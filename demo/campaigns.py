"""Campaigns and activity records of sections 二, 三 and 四 of the source report, entered as the
units would have entered them, with the report's totals."""

import datetime

from django.utils import timezone

from campaigns.models import ActivityKind, ActivityOutput, ActivityRecord, Campaign, OpenCall, Sector, Submission
from campaigns.services import campaign_save, open_call_save, sectors_ensure, submission_create, submission_moderate
from core.images import renditions_refresh
from core.models import Topic
from demo.dates import published_on
from demo.images import drawn_picture
from units.review import ReviewStatus

# The topics the report counts each campaign's activities under.
CAMPAIGN_TOPICS = {
    "jiangui": [Topic.RULES_STUDY],
    "tiaoli": [Topic.DISCIPLINE_REGULATIONS],
    "shuhua": [Topic.CALLIGRAPHY_PAINTING],
}

CAMPAIGNS = [
    # key, title, kind, sectors, organisers, start, summary
    (
        "qinlian",
        "“勤廉从政”主题教育活动",
        ActivityKind.THEME_EDUCATION,
        ["organs"],
        ["JW"],
        datetime.date(2020, 3, 1),
        "结合深化机关作风整顿、优化营商环境活动，组织全市各乡镇各部门党员干部积极参与“勤廉从政”主题教育。",
    ),
    (
        "jiangui",
        "全覆盖常态化讲规学法活动",
        ActivityKind.STUDY,
        ["organs", "villages", "communities"],
        ["JW"],
        datetime.date(2020, 4, 1),
        "要求各级党组织党员干部及各单位各部门国家公职人员开展讲规学法活动。",
    ),
    (
        "tiaoli",
        "《中国共产党纪律处分条例》学习教育",
        ActivityKind.STUDY,
        ["organs", "villages"],
        ["JW"],
        datetime.date(2020, 5, 1),
        "把《条例》学习纳入各级党组织主体责任落实，开展学习会和研讨活动，发放学习工具书。",
    ),
    (
        "jiejia",
        "节日期间纠治“四风”专项检查",
        ActivityKind.INSPECTION,
        ["organs"],
        ["JW"],
        datetime.date(2020, 4, 1),
        "清明节和国庆中秋节期间开展作风建设专项检查。",
    ),
    (
        "fupin",
        "扶贫领域腐败和作风问题专项治理督查",
        ActivityKind.GOVERNANCE,
        ["villages"],
        ["JW"],
        datetime.date(2020, 5, 6),
        "开展扶贫领域腐败和作风建设问题专项监督检查。",
    ),
    (
        "shuhua",
        "廉洁宣传书画创作活动",
        ActivityKind.CONTEST,
        ["organs"],
        ["XCB", "SFXH"],
        datetime.date(2020, 6, 1),
        "市委宣传部与市书法协会联合开展廉洁宣传书画创作活动，全市书画爱好者积极参与。",
    ),
    (
        "xiaoyuan",
        "廉洁文化进校园",
        ActivityKind.THEME_EDUCATION,
        ["schools"],
        ["JW", "JTJ"],
        datetime.date(2020, 9, 1),
        "开展“率先垂范、廉洁从政”“廉洁从教”主题教育，打造廉洁校园。",
    ),
    (
        "shequ",
        "廉洁环境好社区创建",
        ActivityKind.PERFORMANCE,
        ["communities"],
        ["JW"],
        datetime.date(2020, 7, 1),
        "社区廉洁文化宣传队定期开展廉洁文艺演出、放映廉洁题材影片。",
    ),
    (
        "qiye",
        "廉洁诚信好企业创建",
        ActivityKind.CONTEST,
        ["enterprises"],
        ["ZGH", "XCZ"],
        datetime.date(2020, 8, 1),
        "市总工会与企业共同开展廉洁书画大赛、唱廉洁歌曲等活动。",
    ),
    (
        "nongcun",
        "廉洁和谐好农村创建",
        ActivityKind.THEME_EDUCATION,
        ["villages"],
        ["JW"],
        datetime.date(2020, 10, 1),
        "创建文明乡（镇）、文明村、文明户，借助传统节日开展说唱、小品、书画、写送对联等廉洁文化活动。",
    ),
]


def _split(total, parts):
    share, rest = divmod(total, parts)
    return [share + (1 if index < rest else 0) for index in range(parts)]


def _record(
    key,
    unit,
    day,
    kind,
    title,
    campaign=None,
    sessions=1,
    participants=None,
    outputs=None,
    description="",
):
    record, _created = ActivityRecord.objects.update_or_create(
        import_key=f"demo:{key}",
        defaults={
            "unit": unit,
            "date": day,
            "kind": kind,
            "title": title,
            "campaign": campaign,
            "sessions": sessions,
            "participants": participants,
            "description": description,
            "is_published": True,
            "review_status": ReviewStatus.PUBLISHED,
        },
    )
    record.outputs.all().delete()
    ActivityOutput.objects.bulk_create(
        [
            ActivityOutput(record=record, measure=measure, quantity=quantity)
            for measure, quantity in (outputs or {}).items()
            if quantity
        ]
    )
    return record


def load_campaigns(units):
    sectors_ensure()
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    campaigns = {}
    for key, title, kind, sector_codes, organisers, start, summary in CAMPAIGNS:
        campaign = Campaign.objects.filter(title=title).first() or Campaign(title=title)
        campaign.kind, campaign.starts_on, campaign.summary, campaign.is_published = kind, start, summary, True
        campaign.body = f"<p>{summary}</p>"
        if not campaign.cover:
            campaign.cover = drawn_picture(f"campaign-{key}")
        campaign_save(campaign=campaign, actor=None)
        published_on(campaign, start)
        campaign.sectors.set([sectors[code] for code in sector_codes])
        campaign.organisers.set([units[code] for code in organisers])
        campaign.topics.set(Topic.objects.filter(code__in=CAMPAIGN_TOPICS.get(key, [])))
        campaigns[key] = campaign
    townships = [code for code in units if code.startswith("T") and "-" not in code]
    grassroots = (
        [units[code] for code in townships]
        + [units[f"{code}-V1"] for code in townships]
        + [units[code] for code in ["SWJ", "JTJ", "WL", "ZGH", "DST", "XCB", "XCZ", "PZ1"]]
        + [units[f"{code}-C"] for code in townships]
    )

    # 讲规学法: 170 sessions in 34 records, and 2 supervision checks.
    for index, sessions in enumerate(_split(170, 34)):
        unit = grassroots[index % len(grassroots)]
        _record(
            f"jiangui-{index}",
            unit,
            datetime.date(2020, 4, 20) + datetime.timedelta(days=17 * index),
            ActivityKind.STUDY,
            f"{unit.name}讲规学法集中学习",
            campaigns["jiangui"],
            sessions=sessions,
            participants=sessions * 18,
        )
    for index, day in enumerate([datetime.date(2020, 9, 10), datetime.date(2021, 6, 8)]):
        _record(
            f"jiangui-check-{index}",
            units["JW"],
            day,
            ActivityKind.SUPERVISION,
            "讲规学法活动督导检查",
            campaigns["jiangui"],
            sessions=1,
        )

    # 《条例》: 220 sessions, 4,500 person-times, 450 essays, 1,200 books in 44 records; one lecture.
    for index, (sessions, people, essays, books) in enumerate(
        zip(_split(220, 44), _split(4500, 44), _split(450, 44), _split(1200, 44), strict=True)
    ):
        unit = grassroots[index % len(grassroots)]
        _record(
            f"tiaoli-{index}",
            unit,
            datetime.date(2020, 5, 15) + datetime.timedelta(days=13 * index),
            ActivityKind.STUDY,
            f"{unit.name}《条例》学习研讨",
            campaigns["tiaoli"],
            sessions=sessions,
            participants=people,
            outputs={"essays": essays, "books": books},
            description="领导班子成员撰写学习心得体会，发放《条例》学习工具书。",
        )
    _record(
        "tiaoli-lecture",
        units["JW"],
        datetime.date(2020, 9, 11),
        ActivityKind.LECTURE,
        "《中国共产党纪律处分条例》解读授课",
        campaigns["tiaoli"],
        sessions=1,
        participants=120,
    )

    # The holiday inspections as the campaign's public activity records; the figures count their
    # rows in the inspection calendar (demo/inspections.py).
    for index, (day, name) in enumerate(
        [
            (datetime.date(2020, 4, 4), "清明"),
            (datetime.date(2021, 4, 3), "清明"),
            (datetime.date(2020, 10, 2), "中秋国庆"),
            (datetime.date(2021, 9, 21), "中秋国庆"),
        ]
    ):
        _record(
            f"holiday-{index}",
            units["JW"],
            day,
            ActivityKind.INSPECTION,
            f"{name}期间作风建设专项检查",
            campaigns["jiejia"],
            sessions=1,
        )

    _record(
        "fupin-1",
        units["JW"],
        datetime.date(2020, 6, 15),
        ActivityKind.GOVERNANCE,
        "扶贫领域腐败和作风问题专项治理督查",
        campaigns["fupin"],
        sessions=1,
    )
    _record(
        "shuhua-1",
        units["XCB"],
        datetime.date(2020, 11, 20),
        ActivityKind.CONTEST,
        "廉洁宣传书画创作成果展",
        campaigns["shuhua"],
        sessions=1,
        participants=60,
        outputs={"works": 12},
    )
    _record(
        "shuhua-2",
        units["SFXH"],
        datetime.date(2020, 12, 18),
        ActivityKind.CONTEST,
        "书法协会廉洁主题书画创作",
        campaigns["shuhua"],
        sessions=1,
        participants=40,
        outputs={"works": 8},
    )
    _record(
        "qinlian-1",
        units["JW"],
        datetime.date(2021, 3, 25),
        ActivityKind.VISIT,
        "组织党员干部参观清风园和廉洁教育基地",
        campaigns["qinlian"],
        sessions=13,
        participants=500,
    )
    school_activities = ["《一封家书》活动", "诚信考场", "廉洁书签制作", "廉洁文化黑板报评比"]
    for index, title in enumerate(school_activities):
        unit = units["T01-S"]
        record = _record(
            f"school-{index}",
            unit,
            datetime.date(2020, 10, 12) + datetime.timedelta(days=20 * index),
            ActivityKind.THEME_EDUCATION,
            title,
            campaigns["xiaoyuan"],
            sessions=1,
            participants=300,
            outputs={"works": 40} if index == 2 else None,
        )
        if index == 0 and not record.photos.exists():
            photo = record.photos.create(image=drawn_picture("school-letter", kind="hall"), caption="学生书写家书")
            renditions_refresh(photo)
    for index, code in enumerate(["T01-C", "T02-C"]):
        _record(
            f"community-{index}",
            units[code],
            datetime.date(2021, 7, 1) + datetime.timedelta(days=30 * index),
            ActivityKind.PERFORMANCE,
            "社区廉洁文艺演出和廉洁影片放映",
            campaigns["shequ"],
            sessions=2,
            participants=260,
            outputs={"shows": 2},
        )
    _record(
        "enterprise-1",
        units["XCZ-E1"],
        datetime.date(2021, 5, 20),
        ActivityKind.CONTEST,
        "职工廉洁书画大赛和廉洁歌曲演唱",
        campaigns["qiye"],
        sessions=1,
        participants=150,
        outputs={"works": 30},
    )
    for index, code in enumerate(townships[:4]):
        _record(
            f"village-{index}",
            units[f"{code}-V1"],
            datetime.date(2021, 2, 1) + datetime.timedelta(days=3 * index),
            ActivityKind.PERFORMANCE,
            "春节写送廉洁对联、廉洁故事会",
            campaigns["nongcun"],
            sessions=1,
            participants=80,
        )

    _closed_call(campaigns["xiaoyuan"], units)
    _current_call(campaigns["xiaoyuan"], units)
    return campaigns


# The 2020 call of the source report, closed since, with the works its jury selected.
CLOSED_CALL = "2020年云岭市青少年书画评展征稿"
WORKS = [
    # title, category, author, grade, status, award
    ("清风徐来", "calligraphy", "王子涵", "六年级", Submission.Status.AWARDED, "一等奖"),
    ("廉洁家风代代传", "painting", "李欣怡", "五年级", Submission.Status.AWARDED, "二等奖"),
    ("一身正气", "calligraphy", "张浩然", "初二", Submission.Status.ACCEPTED, ""),
    ("守护绿水青山", "painting", "刘思琪", "四年级", Submission.Status.ACCEPTED, ""),
    ("抗疫有我", "painting", "陈雨桐", "三年级", Submission.Status.ACCEPTED, ""),
    ("清白做人", "calligraphy", "赵一鸣", "初一", Submission.Status.REJECTED, ""),
]


def _call(title, campaign, units, *, opens, closes, rules, audience="全市中小学生"):
    call = OpenCall.objects.filter(title=title).first() or OpenCall(title=title)
    call.campaign, call.rules, call.audience = campaign, rules, audience
    call.categories = ["calligraphy", "painting"]
    call.opens_at = timezone.make_aware(datetime.datetime.combine(opens, datetime.time(8)))
    call.closes_at = closes
    call.is_published = True
    open_call_save(call=call, actor=None)
    call.organisers.set([units["JW"], units["JTJ"], units["WL"]])
    return call


def _closed_call(campaign, units):
    """Open while its works are filed (a call takes works only while open), then closed on the
    date it closed in 2020, its works dated in its weeks and moderated as the jury decided."""
    rules = (
        "<p>市纪委监委联合市教体局、市文联，面向全市中小学生征集廉洁文化、疫情防控等方面的书法和绘画作品。"
        "每位作者限投 3 件，作品须为本人原创。</p>"
    )
    closed_at = timezone.make_aware(datetime.datetime.combine(datetime.date(2020, 11, 30), datetime.time(18)))
    call = OpenCall.objects.filter(title=CLOSED_CALL).first()
    if call is None or not call.submissions.exists():
        soon = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=1)
        call = _call(CLOSED_CALL, campaign, units, opens=datetime.date(2020, 9, 1), closes=soon, rules=rules)
        for number, (title, category, author, grade, status, award) in enumerate(WORKS):
            work = submission_create(
                call=call,
                submission=Submission(
                    title=title,
                    category=category,
                    author_name=author,
                    age_or_grade=grade,
                    school=units["T01-S"],
                    guardian_name=f"{author[0]}家长",
                    guardian_phone=f"1390000{number:04d}",
                    consent=True,
                ),
                image=drawn_picture(f"work-{number}", kind="landscape"),
            )
            submission_moderate(submission=work, actor=None, status=status, award_level=award)
            filed = datetime.datetime.combine(datetime.date(2020, 10, 8 + number), datetime.time(15))
            Submission.objects.filter(pk=work.pk).update(submitted_at=timezone.make_aware(filed))
    _call(CLOSED_CALL, campaign, units, opens=datetime.date(2020, 9, 1), closes=closed_at, rules=rules)


def _current_call(campaign, units):
    """An open call of this year, so that the site has something to take part in today."""
    today = timezone.localdate()
    _call(
        f"{today.year}年“清风少年”廉洁书画征集",
        campaign,
        units,
        opens=today - datetime.timedelta(days=10),
        closes=timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=50), datetime.time(18))),
        rules="<p>面向全市中小学生征集以廉洁家风、诚信校园为主题的书法和绘画作品，每位作者限投 3 件。</p>",
    )
