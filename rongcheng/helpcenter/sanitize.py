"""The HTML an article may hold: what the editor writes, nothing that runs.

nh3 (the ammonia sanitiser) keeps the listed tags and attributes and drops everything else:
scripts, styles, event handlers, `javascript:` links. Pictures must come from the shop's own
media (uploads checked by core/uploads.py); a picture from anywhere else is removed.
"""

import re

import nh3
from django.conf import settings

TAGS = {
    "p", "div", "br", "h1", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "del",
    "blockquote", "pre", "code", "ul", "ol", "li", "a", "img", "figure", "figcaption",
    "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}


PICTURE_OF_NOTHING = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _own_pictures(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not value.startswith(settings.MEDIA_URL):
        return None
    return value


def clean_html(html: str) -> str:
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_own_pictures,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    # An <img> whose src was dropped is a picture of nothing.
    return PICTURE_OF_NOTHING.sub("", cleaned)
