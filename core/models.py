from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import RichTextField
from core.storage import private_storage


class SiteSettings(models.Model):
    """The one row of site-wide settings an administrator edits in the admin: names, contact,
    the filing numbers a government site must show, and the mourning-day grey mode.
    Empty filing numbers are not shown (never placeholders)."""

    site_name = models.CharField(_("site name"), max_length=60, default="清风网")
    commission_name = models.CharField(_("commission name"), max_length=60, default="云岭市纪委监委")
    city_name = models.CharField(_("city name"), max_length=30, default="云岭市")
    organiser = models.CharField(_("organiser (主办单位)"), max_length=100, default="中共云岭市纪委宣传部")
    intro = models.TextField(
        _("introduction"),
        blank=True,
        default="清风网是云岭市纪委监委的廉洁文化教育资源平台：介绍全市廉洁教育基地、开展廉洁文化活动、"
        "组织党员干部签订廉洁承诺、发布学习资料与典型案例通报。",
    )
    about = RichTextField(_("about this site"), blank=True, help_text=_("Shown on the public 关于本站 page."))
    privacy_notice = RichTextField(
        _("personal information rules"),
        blank=True,
        help_text=_(
            "The 个人信息处理规则 shown on the public page and linked from every form that takes personal data."
        ),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    icp_number = models.CharField(_("ICP filing number"), max_length=60, blank=True)
    icp_link = models.URLField(_("ICP filing link"), default="https://beian.miit.gov.cn/")
    police_filing_number = models.CharField(_("public security filing number"), max_length=60, blank=True)
    police_filing_link = models.URLField(_("public security filing link"), blank=True)
    site_code = models.CharField(_("website identifier code"), max_length=30, blank=True)
    party_label_code = models.CharField(_("Party and government organ label"), max_length=60, blank=True)
    report_link = models.URLField(
        _("reporting site link"),
        blank=True,
        default="https://www.12388.gov.cn/",
        help_text=_("The national reporting site (12388), shown in the header. Empty hides it."),
    )
    grey_mode = models.BooleanField(
        _("grey mode"), default=False, help_text=_("Turn the whole public site grey on national mourning days.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def load(cls) -> "SiteSettings":
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row


class TopicQuerySet(models.QuerySet):
    def ensure_built_in(self) -> None:
        """The topics the report selects by, as migration core.0004 creates them; again here for
        a database that was emptied (the demo loader and the browser tests)."""
        for order, (code, name) in enumerate(Topic.BUILT_IN.items(), start=1):
            self.get_or_create(code=code, defaults={"name": name, "order": order})


class Topic(models.Model):
    """A work topic (专题) that campaigns, activity records, pledge texts and publications carry,
    from a list the commission edits: 讲规学法, 《条例》学习, 书画创作, 升学宴专项 …

    The work report selects rows by topic (never by words in titles), through the topics'
    `code`. The topics the report uses are created by a migration and cannot be deleted; their
    names may be edited, and more topics may be added."""

    # Codes the work report's figures select by.
    RULES_STUDY = "rules_study"
    DISCIPLINE_REGULATIONS = "discipline_regulations"
    CALLIGRAPHY_PAINTING = "calligraphy_painting"
    BANQUETS = "banquets"
    SELF_DISCIPLINE = "self_discipline"
    BUILT_IN = {
        RULES_STUDY: "讲规学法",
        DISCIPLINE_REGULATIONS: "《中国共产党纪律处分条例》学习",
        CALLIGRAPHY_PAINTING: "廉洁书画创作",
        BANQUETS: "不操办“升学宴”“谢师宴”",
        SELF_DISCIPLINE: "廉洁自律",
    }

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name

    @property
    def is_built_in(self) -> bool:
        return self.code in self.BUILT_IN


class BackgroundJob(models.Model):
    """Work run outside the request by the job queue (an import of many rows, a report's files):
    who asked for it, the file it works on or the parameters, the file it made, and how it ended.
    How far it has got lives in the cache while it runs (core/jobs.py), because the work itself is
    one transaction that nothing outside can see into."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=50)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to="jobs/%Y/", blank=True)
    # What the job was asked to do (a report's period and unit, say), as the form's values.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # A file the job made for its requester (a report), downloaded from the job's page.
    result = models.FileField(_("result file"), storage=private_storage, upload_to="jobs/results/%Y/", blank=True)
    result_name = models.CharField(_("result file name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    message = models.TextField(_("result"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
