from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import RichTextField


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
