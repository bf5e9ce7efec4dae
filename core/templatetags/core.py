from django import template
from django.utils.safestring import mark_safe

from core import validators
from core.richtext import clean_html

register = template.Library()


@register.filter
def richtext(value):
    """Render stored rich text, cleaned again on the way out."""
    return mark_safe(clean_html(value))  # noqa: S308 - cleaned by nh3 with our allowlist


@register.filter
def mask_name(value):
    """Personal names on public pages: 张三 → 张*, 欧阳娜娜 → 欧***."""
    value = str(value or "")
    return value[:1] + "*" * (len(value) - 1) if len(value) > 1 else "*"


@register.filter
def mask_phone(value):
    """Phone numbers outside the base's own staff: 13812345678 → 138****5678."""
    return validators.mask_phone(str(value or ""))


@register.filter
def page_numbers(page):
    """The page numbers a pager shows: the first and last, three on each side of the current one,
    and Paginator.ELLIPSIS between (a list of 6,000 pages shows a dozen links, not 6,000)."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=3, on_ends=1)
