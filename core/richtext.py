"""The one cleaning function for rich text, applied when a rich-text field is saved and again
when it is rendered. Allowed: paragraphs, headings, lists, bold/italic, links (http, https,
mailto), images from our own media, tables and block quotes. Everything else is dropped."""

import html

import nh3
from django.conf import settings
from django.utils.html import strip_tags

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "figure",
    "figcaption",
    "blockquote",
    "hr",
    "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}


def _keep_own_images(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        media_url = settings.MEDIA_URL
        # Only images we stored ourselves: no external trackers, no data: or scheme tricks.
        if not value.startswith(media_url) or ".." in value or value.startswith("//"):
            return None
    return value


def clean_html(value: str | None) -> str:
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_keep_own_images,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def plain_text(value: str | None) -> str:
    """The words of a rich-text body, for search and summaries: tags dropped, entities decoded,
    runs of white space made one space."""
    if not value:
        return ""
    return " ".join(html.unescape(strip_tags(value)).split())
