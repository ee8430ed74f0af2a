"""schema.org structured data (JSON-LD) that search engines read from a page.

The builders take absolute addresses and plain values and return dicts; `script` writes one
into a page. Pages use them through `seo` in templates (context.py).
"""

import json
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from markupsafe import Markup

CONTEXT = "https://schema.org"
CURRENCY = "CNY"
EVERY_DAY = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
HOURS = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–~至]\s*(\d{1,2}:\d{2})\s*$")
# Characters that could end the script element or confuse an HTML parser.
ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script(data: dict[str, Any]) -> Markup:
    text = json.dumps(data, ensure_ascii=False, default=str).translate(ESCAPES)
    return Markup(f'<script type="application/ld+json">{text}</script>')  # noqa: S704


def organization(url: str) -> dict[str, Any]:
    """The company behind the shop, from the business licence (settings.BUSINESS_LICENCE)."""
    licence = settings.BUSINESS_LICENCE
    return {
        "@context": CONTEXT,
        "@type": "Organization",
        "name": licence["company"],
        "legalName": licence["company"],
        "url": url,
        "taxID": licence["credit_code"],
        "telephone": licence["phone"],
        "address": {
            "@type": "PostalAddress",
            "streetAddress": licence["address"],
            "addressCountry": "CN",
        },
    }


def breadcrumbs(items: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """A BreadcrumbList from (name, absolute address) pairs, from the top down."""
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(items, start=1)
        ],
    }


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def product(
    *,
    name: str,
    url: str,
    description: str,
    images: Sequence[str],
    brand: str,
    sku: str,
    prices: Sequence[Decimal],
    in_stock: bool,
    price_valid_until: str = "",
    rating: tuple[Decimal | float, int] | None = None,
) -> dict[str, Any]:
    """A Product with one Offer, or an AggregateOffer when its SKUs cost different amounts;
    AggregateRating only when there are reviews (rating = (average of 5, review count))."""
    availability = f"{CONTEXT}/{'InStock' if in_stock else 'OutOfStock'}"
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Product",
        "name": name,
        "url": url,
        "sku": sku,
        "brand": {"@type": "Brand", "name": brand},
    }
    if description:
        data["description"] = description
    if images:
        data["image"] = list(images)
    if prices:
        low, high = min(prices), max(prices)
        offer: dict[str, Any] = {"priceCurrency": CURRENCY, "availability": availability}
        if low == high:
            offer |= {"@type": "Offer", "price": _money(low), "url": url}
            if price_valid_until:
                offer["priceValidUntil"] = price_valid_until
        else:
            offer |= {
                "@type": "AggregateOffer",
                "lowPrice": _money(low),
                "highPrice": _money(high),
                "offerCount": len(prices),
            }
        data["offers"] = offer
    if rating is not None and rating[1] > 0:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": str(Decimal(str(rating[0])).quantize(Decimal("0.1"), ROUND_HALF_UP)),
            "reviewCount": rating[1],
            "bestRating": "5",
            "worstRating": "1",
        }
    return data


def opening_hours(text: str) -> list[dict[str, Any]]:
    """'10:00-22:00' → every day from 10:00 to 22:00; [] when the text is not such a range."""
    match = HOURS.match(text)
    if match is None:
        return []
    opens, closes = (value.zfill(5) for value in match.groups())
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": EVERY_DAY,
            "opens": opens,
            "closes": closes,
        }
    ]


def store(
    *,
    name: str,
    url: str,
    street: str,
    city: str,
    telephone: str,
    latitude: Decimal,
    longitude: Decimal,
    hours: str,
    description: str = "",
) -> dict[str, Any]:
    """A shop a visitor can walk into (schema.org ClothingStore, a LocalBusiness)."""
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClothingStore",
        "name": name,
        "url": url,
        "telephone": telephone,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": street,
            "addressLocality": city,
            "addressCountry": "CN",
        },
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": f"{latitude:.6f}",
            "longitude": f"{longitude:.6f}",
        },
        "parentOrganization": {
            "@type": "Organization",
            "name": settings.BUSINESS_LICENCE["company"],
        },
    }
    if description:
        data["description"] = description
    if spec := opening_hours(hours):
        data["openingHoursSpecification"] = spec
    return data
