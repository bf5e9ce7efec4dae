from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """The 栏目 a result is shown under, in the order of the result tabs."""

    BASES = "bases", _("Education bases")
    CAMPAIGNS = "campaigns", _("Campaigns and calls")
    ACTIVITIES = "activities", _("Activity records")
    NEWS = "news", _("News and notices")
    MATERIALS = "materials", _("Study materials")
    BULLETINS = "bulletins", _("Case bulletins")
    PLEDGES = "pledges", _("Pledges")
    GALLERY = "gallery", _("Gallery")


class Entry(models.Model):
    """One searchable item as the public site shows it: derived from the item's own row in the
    same transaction (search.services), never edited by hand, rebuilt by `rebuild_search_index`."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    section = models.CharField(max_length=20, choices=Section.choices)
    # Who may find it: the values of publications.Audience (public, cadres, staff).
    audience = models.CharField(max_length=10)
    title = models.CharField(max_length=300)
    # The title lower-cased without spaces or punctuation: an item named as asked ranks first.
    title_key = models.CharField(max_length=300, editable=False)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    date = models.DateField(null=True, blank=True)
    # PostgreSQL only (search.text builds it); the fallback on SQLite matches title and text.
    vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="search_entry_one_per_item"),
        ]
        indexes = [models.Index(fields=["section", "audience"], name="search_entry_section")]

    def __str__(self):
        return self.title
