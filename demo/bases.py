"""The bases, culture assets, volunteers and the visits of section 一 and 三 of the source report."""

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.utils import timezone

from bases.models import BasePhoto, CultureAsset, EducationBase, ExhibitionSection, VisitBooking, VisitSlot, Volunteer
from bases.services import base_save
from core.images import renditions_refresh
from demo.dates import STORY_START, published_on
from demo.images import drawn_picture

SECTIONS = [
    (
        "持之以恒，全面从严治党",
        "以时间为轴线，展示党的十八大以来全面从严治党的重大部署和显著成效，引导党员干部深刻认识全面从严治党永远在路上。",
    ),
    ("锻炼党性，坚定理想信念", "通过革命先辈的理想信念故事和入党誓词墙，引导参观者补足精神之“钙”，筑牢信仰之基。"),
    (
        "不忘初心，深学细照笃行",
        "结合本地党员干部扎根基层、服务群众的先进事迹，引导参观者对照先进找差距、学思践悟见行动。",
    ),
    (
        "利剑高悬，勿忘覆车之鉴",
        "以身边典型案例为镜鉴，运用情景模拟、声光电等手段再现违纪违法行为的演变过程，以案示警、以案明纪。",
    ),
    ("见贤思齐，涵养浩然正气", "展示古今廉吏故事和优良家风家训，引导党员干部修身律己、廉洁齐家，涵养清风正气。"),
]

BASES = [
    {
        "slug": "qing-feng-yuan",
        "order": 1,
        "name": "清风园",
        "category": EducationBase.Category.THEME_PARK,
        "unit": "JW",
        "township": None,
        "address": "云岭市滨河路北段",
        "latitude": "44.580000",
        "longitude": "129.600000",
        "summary": "全市首个廉洁文化主题公园，以廉洁文化景观、廉政格言碑刻和家风家训长廊为主要内容，常年免费开放。",
        "body": "<p>清风园是市纪委监委精心打造的廉洁文化主题公园，园内设有廉政格言碑林、古代廉吏雕塑群、家风家训长廊等"
        "景观节点，让干部群众在休闲漫步中耳濡目染，时刻接受廉洁文化的熏陶和教育。</p>"
        "<p>近年来，市纪委监委持续完善提升清风园建设，组织全市党员干部和公职人员分批参观学习。</p>",
        "opened_on": datetime.date(2018, 6, 1),
        "opening_hours": "全天开放",
        "contact_phone": "0453-7210000",
        "features": ["sculpture"],
        "themes": ("theme_warning", "theme_family"),
        "kind": "landscape",
    },
    {
        "slug": "xing-yuan-lian-jie-jiao-yu-ji-di",
        "order": 2,
        "name": "兴源廉洁教育基地",
        "category": EducationBase.Category.EDUCATION_BASE,
        "unit": "T01",
        "township": "T01",
        "co_builders": ["T01", "SWJ"],
        "address": "云岭市兴源镇向阳路1号",
        "latitude": "44.612300",
        "longitude": "129.552100",
        "summary": "由兴源镇纪委与市税务局整合资源共建的“红廉”阵地，对全市党员干部免费开放，是集红色教育、警示教育、"
        "家风教育于一体的精品教育示范基地。",
        "body": "<p>基地由兴源镇纪委与市税务局整合资源共建而成，于2020年8月开工建设，2021年元旦正式开馆。馆区建筑面积为"
        "475平方米，分两层展区，共设展区五大部分。</p><p>展区引入声光电效果、情景模拟、高清触摸显屏、室外主题"
        "雕塑小品等元素，从而达到优质的警示教育效果。</p>",
        "construction_started": datetime.date(2020, 8, 1),
        "opened_on": datetime.date(2021, 1, 1),
        "floor_area": 475,
        "floors": 2,
        "opening_hours": "周二至周日 9:00—11:30，13:30—16:30",
        "contact_phone": "0453-7231234",
        "features": ["sound_light", "scene_simulation", "touch_screen", "sculpture"],
        "themes": ("theme_red", "theme_warning", "theme_family"),
        "sections": SECTIONS,
        "kind": "hall",
    },
    {
        "slug": "yun-ling-xian-wei-dan-sheng-di-ji-nian-guan",
        "order": 3,
        "name": "中共云岭县委诞生地纪念馆",
        "category": EducationBase.Category.RED_MEMORIAL,
        "unit": "T01",
        "township": "T01",
        "address": "云岭市兴源镇向阳村",
        "latitude": "44.620500",
        "longitude": "129.541800",
        "summary": "兴源镇向阳村是中共云岭县委的诞生地。纪念馆把红色文化、廉洁文化元素融入场馆建设，是党员干部接受"
        "红色教育的重要阵地。",
        "body": "<p>纪念馆以县委诞生的历史为主线，展示革命先辈在艰苦环境中坚持斗争、清正廉洁的事迹，使“红廉”成为一种"
        "文化力量，传播积极向上的人生价值观和社会正能量。</p>",
        "opened_on": datetime.date(2021, 7, 1),
        "opening_hours": "周二至周日 9:00—16:00",
        "features": ["sound_light", "video"],
        "themes": ("theme_red",),
        "kind": "hall",
    },
    {
        "slug": "san-dao-kang-lian-hong-lian-jiao-yu-zhan-guan",
        "order": 4,
        "name": "三道镇抗联密营红廉教育展馆",
        "category": EducationBase.Category.EXHIBITION_HALL,
        "unit": "T03",
        "township": "T03",
        "address": "云岭市三道镇密营村",
        "summary": "以尘封的东北抗联精神和历史档案为凭据，结合年近百岁老人的口述证明，真实再现抗联密营地的抗联精神。",
        "body": "<p>展馆以三道镇百年沿革为脉络，依托抗联密营遗址，强化参观人员获得感，持续渗透红色基因，以抗联先辈的"
        "革命和廉洁精神为引导，传承不畏艰险、攻坚克难的优良作风。</p>",
        "opened_on": datetime.date(2021, 9, 18),
        "features": ["scene_simulation", "video"],
        "themes": ("theme_red",),
        "kind": "hall",
    },
    {
        "slug": "shi-men-bai-nian-yan-ge-hong-lian-jiao-yu-zhan-guan",
        "order": 5,
        "name": "石门镇百年沿革红廉教育展馆",
        "category": EducationBase.Category.EXHIBITION_HALL,
        "unit": "T04",
        "township": "T04",
        "address": "云岭市石门镇石门村",
        "summary": "展示石门镇沧桑厚重的百年历史变化和抗联时期地下交通站的故事。",
        "body": "<p>石门村是抗联时期重要的地下交通站。展馆通过历史照片、实物和口述史料，讲述交通员舍生忘死、"
        "清白做人的故事。</p>",
        "opened_on": datetime.date(2021, 10, 1),
        "features": ["touch_screen"],
        "themes": ("theme_red", "theme_family"),
        "kind": "hall",
    },
]

ASSETS = [
    # kind, quantity, location
    (CultureAsset.Kind.WALL, 2, "村部广场"),
    (CultureAsset.Kind.BOARD, 4, "主街两侧"),
    (CultureAsset.Kind.BANNER, 6, "村口"),
]
VOLUNTEERS = ["王秀兰", "刘德福", "陈桂芝", "杨建国", "赵淑华", "黄志强", "周玉梅", "吴永生"]

# Visits to 清风园 and the education base: (base slug, date, unit code, people who came) — 500 in all.
VISITS = [
    ("qing-feng-yuan", datetime.date(2020, 6, 16), "T02", 40),
    ("qing-feng-yuan", datetime.date(2020, 7, 1), "JTJ", 35),
    ("qing-feng-yuan", datetime.date(2020, 9, 8), "SWJ", 30),
    ("qing-feng-yuan", datetime.date(2020, 10, 20), "T05", 45),
    ("qing-feng-yuan", datetime.date(2021, 4, 13), "T06", 40),
    ("qing-feng-yuan", datetime.date(2021, 5, 18), "ZGH", 30),
    ("qing-feng-yuan", datetime.date(2021, 8, 24), "T07", 40),
    ("xing-yuan-lian-jie-jiao-yu-ji-di", datetime.date(2021, 3, 9), "T01", 50),
    ("xing-yuan-lian-jie-jiao-yu-ji-di", datetime.date(2021, 6, 22), "T03", 45),
    ("xing-yuan-lian-jie-jiao-yu-ji-di", datetime.date(2021, 11, 16), "T04", 40),
    ("xing-yuan-lian-jie-jiao-yu-ji-di", datetime.date(2022, 3, 15), "T08", 45),
    ("xing-yuan-lian-jie-jiao-yu-ji-di", datetime.date(2022, 5, 10), "XCZ", 30),
    ("xing-yuan-lian-jie-jiao-yu-ji-di", datetime.date(2022, 7, 5), "WL", 30),
]


def _base(spec, units):
    base = EducationBase.objects.filter(slug=spec["slug"]).first() or EducationBase(slug=spec["slug"])
    for field in [
        "name",
        "category",
        "summary",
        "body",
        "address",
        "opening_hours",
        "contact_phone",
        "features",
        "construction_started",
        "opened_on",
        "floor_area",
        "floors",
        "latitude",
        "longitude",
    ]:
        if field in spec:
            setattr(base, field, spec[field])
    base.unit = units[spec["unit"]]
    base.township = units[spec["township"]] if spec.get("township") else None
    for theme in ("theme_red", "theme_warning", "theme_family"):
        setattr(base, theme, theme in spec.get("themes", ()))
    base.is_published = True
    base.order = spec.get("order", 100)
    if not base.cover:
        base.cover = drawn_picture(spec["slug"], kind=spec.get("kind", "landscape"))
    base_save(base=base, actor=None)
    # Put on the portal when it opened (the story's start), or when the base opened after that.
    published_on(base, max(spec.get("opened_on") or STORY_START, STORY_START))
    base.co_builders.set([units[code] for code in spec.get("co_builders", [])])
    for order, (title, text) in enumerate(spec.get("sections", [])):
        ExhibitionSection.objects.update_or_create(base=base, order=order, defaults={"title": title, "text": text})
    if not base.photos.exists():
        for number, caption in enumerate(["外景", "展厅一角", "参观学习"]):
            photo = BasePhoto(
                base=base,
                order=number,
                caption=f"{base.name}{caption}",
                image=drawn_picture(f"{spec['slug']}-{number}", kind="hall" if number else "landscape"),
            )
            photo.save()
            renditions_refresh(photo)
    return base


def _demonstration_village(township_code, units):
    village = units[f"{township_code}-V1"]
    slug = f"shi-fan-cun-{township_code.lower()}"
    spec = {
        "slug": slug,
        "name": f"{village.name}廉洁文化示范村",
        "category": EducationBase.Category.DEMONSTRATION_VILLAGE,
        "unit": f"{township_code}-V1",
        "township": township_code,
        "address": f"云岭市{units[township_code].name}{village.name}",
        "summary": f"{units[township_code].name}打造的廉洁文化示范村：廉洁文化墙、宣传板、条幅随处可见，"
        "村民宣传员利用集体活动时间义务宣传。",
        "body": "<p>示范村在人员流动性强且位置醒目的地方绘制廉洁文化墙、制作廉洁文化宣传板、悬挂廉洁文化条幅，"
        "从村民中聘请廉洁文化宣传员，作为廉洁文化进村的骨干力量。</p>",
        "themes": ("theme_family",),
        "kind": "wall",
    }
    base = _base(spec, units)
    for kind, quantity, location in ASSETS:
        asset, _created = CultureAsset.objects.update_or_create(
            unit=village,
            kind=kind,
            location=location,
            defaults={"quantity": quantity, "installed_on": datetime.date(2021, 5, 1)},
        )
        if not asset.photo and kind == CultureAsset.Kind.WALL:
            asset.photo = drawn_picture(f"{slug}-wall", kind="wall")
            asset.save()
            renditions_refresh(asset)
    if township_code in {"T01", "T04", "T06"}:  # some townships designed slogan litter bins
        CultureAsset.objects.update_or_create(
            unit=village, kind=CultureAsset.Kind.BIN, location="村内主干道", defaults={"quantity": 12}
        )
    for number, name in enumerate(VOLUNTEERS[: 2 + int(township_code[-1]) % 3]):
        Volunteer.objects.update_or_create(
            unit=village,
            name=name,
            defaults={
                "phone": f"1390453{int(township_code[-1]):02d}{number:02d}",
                "recruited_on": datetime.date(2021, 4, 1),
            },
        )
    return base


def _organ_corridors(units):
    for code in ["JW", "SWJ", "JTJ", "ZGH"]:
        CultureAsset.objects.update_or_create(
            unit=units[code],
            kind=CultureAsset.Kind.CORRIDOR,
            location="办公楼二楼",
            defaults={"quantity": 1, "note": "廉洁标语、古代廉洁小故事、警示语录"},
        )
        CultureAsset.objects.update_or_create(
            unit=units[code],
            kind=CultureAsset.Kind.SCREEN,
            location="办公楼大厅",
            defaults={"quantity": 1, "note": "滚动播放廉洁标语"},
        )
    for township in ["T01", "T02"]:
        community = units[f"{township}-C"]
        CultureAsset.objects.update_or_create(
            unit=community, kind=CultureAsset.Kind.BOOK_CORNER, location="社区图书室", defaults={"quantity": 1}
        )
        CultureAsset.objects.update_or_create(
            unit=community, kind=CultureAsset.Kind.STAGE, location="社区活动室", defaults={"quantity": 1}
        )


def _visits(bases, units, booker):
    for number, (slug, day, unit_code, people) in enumerate(VISITS, start=1):
        base = bases[slug]
        slot, _created = VisitSlot.objects.get_or_create(
            base=base, date=day, start_time=datetime.time(9), defaults={"end_time": datetime.time(11), "capacity": 60}
        )
        visited_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        VisitBooking.objects.update_or_create(
            reference=f"DEMO{number:04d}",
            defaults={
                "slot": slot,
                "unit": units[unit_code],
                "booked_by": booker,
                "group_size": people,
                "status": VisitBooking.Status.CONFIRMED,
                "actual_visitors": people,
                "request_token": uuid.uuid5(uuid.NAMESPACE_URL, f"demo-booking-{number}"),
                "confirmed_at": visited_at - datetime.timedelta(days=3),
                "contact_name": "",
                "contact_phone": "",
                "contact_erased_at": visited_at + datetime.timedelta(days=365),
            },
        )
    # Open slots for the coming weeks so that the public can book.
    today = timezone.localdate()
    for slug in ["qing-feng-yuan", "xing-yuan-lian-jie-jiao-yu-ji-di"]:
        for offset in range(1, 29):
            day = today + datetime.timedelta(days=offset)
            if day.weekday() in (1, 3):
                VisitSlot.objects.get_or_create(
                    base=bases[slug],
                    date=day,
                    start_time=datetime.time(9),
                    defaults={"end_time": datetime.time(11), "capacity": 60},
                )


def load_bases(units):
    bases = {spec["slug"]: _base(spec, units) for spec in BASES}
    for code in [code for code in units if code.startswith("T") and "-" not in code]:
        _demonstration_village(code, units)
    _organ_corridors(units)
    booker = get_user_model().objects.get(username="xingyuan")
    _visits(bases, units, booker)
    return bases
