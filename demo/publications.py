"""Publications of section 二 of the source report: study books, work points, notices, bulletins,
warning material, news items and where they were placed."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.models import Topic
from demo.dates import published_on
from publications.models import Audience, BulletinCase, Distribution, Placement, Publication, ReadReceipt
from publications.services import publication_save
from units.review import review_submit

BOOKS = [  # 4 titles, 510 copies in all
    ("专题警示教育学习资料", Publication.Kind.STUDY_MATERIAL, 150, datetime.date(2020, 4, 10)),
    ("纪检监察纪律规定汇编", Publication.Kind.RULES_COMPILATION, 120, datetime.date(2020, 4, 20)),
    ("监督执纪基础法规", Publication.Kind.RULES_COMPILATION, 120, datetime.date(2020, 5, 8)),
    ("纪检监察工作基础法规", Publication.Kind.RULES_COMPILATION, 120, datetime.date(2020, 5, 22)),
]

NEWS_TITLES = [
    "市纪委监委召开全市廉洁文化建设推进会",
    "兴源廉洁教育基地正式开馆",
    "清风园完成提升改造",
    "市纪委监委组织党员干部参观廉洁教育基地",
    "全市开展讲规学法活动督导检查",
    "市纪委监委部署元旦春节期间纠治“四风”工作",
    "清明节期间开展作风建设专项检查",
    "国庆中秋期间开展廉洁过节专项检查",
    "市纪委监委开展《条例》解读授课",
    "廉洁文化进校园活动走进兴源中心小学",
    "市总工会举办廉洁书画大赛",
    "下城子开发区企业开展廉洁文化活动",
    "社区廉洁文化宣传队开展文艺演出",
    "各乡镇廉洁文化示范村建设全面铺开",
    "市纪委监委召开以案促改工作会议",
    "全市党员干部签订廉洁自律承诺书",
    "青少年书画评展征稿启动",
    "市书法协会开展廉洁书画创作活动",
    "扶贫领域腐败和作风问题专项治理督查启动",
    "派驻机构开展廉洁文化进机关活动",
    "廉洁文化走廊在各机关落成",
    "市纪委监委发布典型案例通报",
    "全市各级党组织学习《条例》研讨交流",
]
# How many of the news items were also reported elsewhere: the source report's P5–P11.
OTHER_CHANNELS = [
    (Placement.Channel.INTRANET, 4),
    (Placement.Channel.EXTRANET, 11),
    (Placement.Channel.CITY_SPECIAL_ISSUE, 1),
    (Placement.Channel.PROVINCE_INTRANET, 2),
    (Placement.Channel.PROVINCE_SITE, 2),
    (Placement.Channel.CITY_SITE, 2),
    (Placement.Channel.WECHAT, 1),
]

CASES = [
    (
        "某镇",
        "副镇长",
        "王某某",
        BulletinCase.ProblemType.GIFTS,
        "2020年春节期间，王某某先后收受管理服务对象所送礼金共计6000元。",
        "王某某受到党内警告处分，违纪款予以收缴。",
    ),
    (
        "某局",
        "办公室主任",
        "李某某",
        BulletinCase.ProblemType.OFFICIAL_CARS,
        "2020年5月，李某某多次驾驶公务用车办理私事。",
        "李某某受到诫勉谈话处理，并承担相关费用。",
    ),
    (
        "某村",
        "党支部书记",
        "赵某某",
        BulletinCase.ProblemType.FAMILY_EVENTS,
        "2020年8月，赵某某违规为其子操办“升学宴”，收受礼金。",
        "赵某某受到党内严重警告处分，违规收受的礼金予以退还。",
    ),
]


def _publication(
    title,
    kind,
    unit,
    *,
    audience=Audience.PUBLIC,
    issued_on,
    copies=0,
    series="",
    year=None,
    issue=None,
    summary="",
    body="",
):
    item = Publication.objects.filter(title=title).first() or Publication(title=title)
    item.kind, item.issuing_unit, item.audience, item.issued_on = kind, unit, audience, issued_on
    item.copies_printed, item.series, item.year, item.issue_number = copies, series, year, issue
    item.summary = summary or f"{title}。"
    item.body = body or f"<p>{summary or title}</p>"
    item.is_published = True
    publication_save(publication=item, actor=None)
    return published_on(item, issued_on)


def _distribute(item, units, total, day):
    """Spread `total` copies over `units` (a ledger row per unit), idempotently."""
    item.distributions.all().delete()
    share, rest = divmod(total, len(units))
    for index, unit in enumerate(units):
        copies = share + (1 if index < rest else 0)
        if copies:
            Distribution.objects.create(publication=item, unit=unit, date=day, copies=copies)


def load_receipts(cadres):
    """About two in three of the generated cadres confirmed studying each bulletin."""
    bulletins = Publication.objects.filter(kind__in=[Publication.Kind.CASE_BULLETIN, Publication.Kind.WARNING_MATERIAL])
    existing = set(ReadReceipt.objects.filter(publication__in=bulletins).values_list("publication_id", "user_id"))
    receipts = []
    for number, bulletin in enumerate(bulletins.order_by("pk")):
        for index, cadre in enumerate(cadres):
            if (index + number) % 3 and (bulletin.pk, cadre.pk) not in existing:
                receipts.append(ReadReceipt(publication=bulletin, user=cadre, unit=cadre.membership.unit))
    ReadReceipt.objects.bulk_create(receipts, batch_size=1000)


def load_publications(units):
    commission = units["JW"]
    townships = [units[code] for code in units if code.startswith("T") and "-" not in code]
    organs = [units[code] for code in ["SWJ", "JTJ", "WL", "ZGH", "DST", "XCB", "XCZ", "PZ1"]]

    for title, kind, copies, day in BOOKS:
        book = _publication(
            f"《{title}》",
            kind,
            commission,
            issued_on=day,
            copies=copies,
            audience=Audience.CADRES,
            summary=f"供全市纪检监察干部自学和自我监督使用的《{title}》，印发{copies}册。",
        )
        _distribute(book, townships + organs, copies, day + datetime.timedelta(days=3))

    points = _publication(
        "《2020纪检监察工作要点》",
        Publication.Kind.WORK_POINTS,
        commission,
        issued_on=datetime.date(2020, 3, 2),
        copies=110,
        summary="为全市公职人员明确工作“红线”，规范工作纪律。",
    )
    recipients = townships + organs + [unit for code, unit in units.items() if code.endswith("-S")]
    _distribute(points, recipients * 5, 110, datetime.date(2020, 3, 5))

    notice = _publication(
        "关于严禁借子女升学之机违规操办和参加“升学宴”“谢师宴”的通知",
        Publication.Kind.NOTICE,
        commission,
        issued_on=datetime.date(2020, 7, 10),
        copies=4,
    )
    notice.topics.set([Topic.objects.get(code=Topic.BANQUETS)])
    _distribute(notice, [units["JTJ"], units["SWJ"], units["XCZ"], units["DST"]], 4, datetime.date(2020, 7, 11))

    holiday = _publication(
        "关于2020年元旦春节期间纠治“四风”廉洁过节的公告",
        Publication.Kind.ANNOUNCEMENT,
        commission,
        issued_on=datetime.date(2019, 12, 30),
    )
    holiday.placements.all().delete()
    Placement.objects.create(
        publication=holiday, channel=Placement.Channel.TV, date=datetime.date(2020, 1, 2), note="市电视台播发"
    )

    for title, day in [
        ("关于坚持标本兼治，推进以案促教、以案促改、以案促建工作实施意见", datetime.date(2020, 6, 1)),
        ("在全市各级党组织中开展全覆盖常态化讲规学法活动方案", datetime.date(2020, 4, 1)),
        ("市纪委监委关于开展扶贫领域腐败和作风问题专项治理督查工作方案", datetime.date(2020, 5, 6)),
    ]:
        _publication(title, Publication.Kind.PLAN, commission, issued_on=day, audience=Audience.CADRES)

    _awaiting_review(units["T01"])
    # A current item, so that the home page shows the site alive today as well as the story.
    _publication(
        "市纪委监委发布节前廉洁提醒",
        Publication.Kind.NOTICE,
        commission,
        issued_on=timezone.localdate() - datetime.timedelta(days=3),
        summary="节日将至，市纪委监委提醒全市党员干部严守中央八项规定精神，过廉洁节日。",
        body="<p>市纪委监委提醒全市党员干部：严禁公款吃喝、公款旅游，严禁违规收送礼品礼金，"
        "严禁大操大办婚丧喜庆事宜。发现问题线索，请拨打 12388 举报。</p>",
    )

    for number in range(1, 9):
        cases = CASES[: 1 + number % 3]
        bulletin = _bulletin(number, cases, commission)
        bulletin.cases.all().delete()
        for order, (unit_name, position, name, problem, facts, disposition) in enumerate(cases, start=1):
            BulletinCase.objects.create(
                publication=bulletin,
                order=order,
                unit_name=unit_name,
                position=position,
                person_name=name,
                problem_type=problem,
                facts=facts,
                disposition=disposition,
            )

    _publication(
        "《警惕加盖虚假印章的危害》",
        Publication.Kind.WARNING_MATERIAL,
        commission,
        audience=Audience.CADRES,
        issued_on=datetime.date(2020, 9, 15),
        series="以案促教警示教育学习资料",
        year=2020,
        issue=1,
        summary="以案促教、以案促改、以案促建警示教育学习资料。",
    )

    for index, title in enumerate(NEWS_TITLES):
        day = datetime.date(2020, 1, 15) + datetime.timedelta(days=30 * index)
        news = _publication(
            title, Publication.Kind.NEWS, commission, issued_on=day, summary=f"{title}。市纪委监委宣传部供稿。"
        )
        news.placements.all().delete()
        Placement.objects.create(publication=news, channel=Placement.Channel.PORTAL, date=day)
    placed = list(Publication.objects.filter(title__in=NEWS_TITLES).order_by("issued_on"))
    cursor = 0
    for channel, count in OTHER_CHANNELS:
        for _ in range(count):
            news = placed[cursor % len(placed)]
            Placement.objects.create(
                publication=news, channel=channel, date=news.issued_on + datetime.timedelta(days=2)
            )
            cursor += 1


AWAITING_REVIEW = "兴源镇开展“清风进万家”廉洁家访活动"


def _awaiting_review(township):
    """A township's news item written by its staff member and waiting for the township's reviewer:
    the review step of the demo (log in as shenhe to approve or return it). Made once; a second
    run leaves it as the reviewer left it."""
    if Publication.objects.filter(title=AWAITING_REVIEW).exists():
        return
    author = get_user_model().objects.get(username="xingyuan")
    item = Publication(
        title=AWAITING_REVIEW,
        kind=Publication.Kind.NEWS,
        issuing_unit=township,
        issued_on=timezone.localdate(),
        summary="镇纪委联合妇联走进党员干部家庭，开展廉洁家访，签订家庭助廉承诺书。",
        body="<p>镇纪委联合妇联组成家访小组，走进 12 户党员干部家庭，送上廉洁家书，签订家庭助廉承诺书。</p>",
    )
    publication_save(publication=item, actor=author)
    review_submit(item=item, actor=author, save=lambda obj: publication_save(publication=obj, actor=author))


def _bulletin(number, cases, commission):
    year = 2020 if number <= 4 else 2021
    return _publication(
        f"关于{len(cases)}起违反中央八项规定精神典型问题的通报（{year}年第{(number - 1) % 4 + 1}期）",
        Publication.Kind.CASE_BULLETIN,
        commission,
        audience=Audience.CADRES,
        issued_on=datetime.date(2020, 1, 20) + datetime.timedelta(days=70 * number),
        series="典型案例通报",
        year=year,
        issue=(number - 1) % 4 + 1,
        summary="用身边事教育身边人，提醒全市党员干部以案为鉴、警钟长鸣。",
    )
