from django import template

from core.pagecache import remember
from sitecheck.admin import may_check_site
from sitecheck.selectors import overdue_count

register = template.Library()


@register.inclusion_tag("admin/sitecheck/index_entry.html", takes_context=True)
def sitecheck_entry(context):
    """The way to the self-check from the admin home page, with how many columns are overdue
    (counted again when content changes, or after PAGE_CACHE_SECONDS)."""
    request = context["request"]
    if not may_check_site(request.user):
        return {"shown": False}
    return {"shown": True, "overdue": remember("sitecheck:overdue", overdue_count)}
