"""What a search asks for, read from query parameters and written back as canonical ones.

Every combination of keywords, filters, sort and page is one URL with its parameters in a
fixed order, so pages and facet links are crawlable without duplicates.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy

from rongcheng.search.models import DocType

MAX_QUERY_LENGTH = 100
MAX_ATTRIBUTE_FILTERS = 10


class SearchSort(models.TextChoices):
    RELEVANCE = "relevance", gettext_lazy("综合")
    SALES = "sales", gettext_lazy("销量")
    PRICE = "price", gettext_lazy("价格从低到高")
    PRICE_DESC = "-price", gettext_lazy("价格从高到低")
    NEWEST = "newest", gettext_lazy("新品")


Params = Mapping[str, str | Sequence[str]]


def _last(params: Params, key: str) -> str:
    value = params.get(key, "")
    if not isinstance(value, str):
        value = value[-1] if value else ""
    return value.strip()


def _all(params: Params, key: str) -> list[str]:
    getlist = getattr(params, "getlist", None)  # a QueryDict holds every repeated value
    if getlist is not None:
        return list(getlist(key))
    value = params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def _id(text: str) -> int | None:
    return int(text) if text.isdigit() and 0 < int(text) < 2**63 else None


def _money(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value >= 10**10:
        return None
    return value.quantize(Decimal("0.01"))


def _attributes(values: list[str]) -> tuple[tuple[int, str], ...]:
    """`attr=12:高领` pairs; one value per attribute, the last one given wins."""
    chosen: dict[int, str] = {}
    for item in values:
        attribute, _sep, value = item.partition(":")
        attribute_id, value = _id(attribute.strip()), value.strip()[:100]
        if attribute_id is not None and value:
            chosen[attribute_id] = value
    return tuple(sorted(chosen.items()))[:MAX_ATTRIBUTE_FILTERS]


@dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    doc_type: str = DocType.PRODUCT
    category_id: int | None = None
    brand_id: int | None = None
    attributes: tuple[tuple[int, str], ...] = ()
    name: str = ""
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    sort: str = ""

    @classmethod
    def from_params(cls, params: Params) -> "SearchFilters":
        """Read query parameters; values that make no sense are ignored, not errors."""
        price_min, price_max = (
            _money(_last(params, "price_min")),
            _money(_last(params, "price_max")),
        )
        if price_min is not None and price_max is not None and price_min > price_max:
            price_min, price_max = price_max, price_min
        doc_type = _last(params, "type")
        sort = _last(params, "sort")
        return cls(
            q=_last(params, "q")[:MAX_QUERY_LENGTH],
            doc_type=doc_type if doc_type in DocType.values else DocType.PRODUCT,
            category_id=_id(_last(params, "category")),
            brand_id=_id(_last(params, "brand")),
            attributes=_attributes(_all(params, "attr")),
            name=_last(params, "name")[:MAX_QUERY_LENGTH],
            price_min=price_min,
            price_max=price_max,
            sort=sort if sort in SearchSort.values else "",
        )

    @property
    def has_text(self) -> bool:
        return bool(self.q.strip() or self.name.strip())

    @property
    def is_empty(self) -> bool:
        return self == SearchFilters(doc_type=self.doc_type, sort=self.sort)

    @property
    def ordering(self) -> str:
        """The sort in force: relevance needs keywords; without them the best sellers lead."""
        if self.sort and not (self.sort == SearchSort.RELEVANCE and not self.has_text):
            return self.sort
        return SearchSort.RELEVANCE if self.has_text else SearchSort.SALES

    def with_changes(self, **changes) -> "SearchFilters":
        return replace(self, **changes)

    def with_attribute(self, attribute_id: int, value: str | None) -> "SearchFilters":
        chosen = dict(self.attributes)
        if value is None:
            chosen.pop(attribute_id, None)
        else:
            chosen[attribute_id] = value
        return replace(self, attributes=tuple(sorted(chosen.items())))

    def params(self, page: int = 1) -> list[tuple[str, str]]:
        """The canonical query parameters, defaults left out."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        if self.doc_type != DocType.PRODUCT:
            pairs.append(("type", self.doc_type))
        if self.category_id is not None:
            pairs.append(("category", str(self.category_id)))
        if self.brand_id is not None:
            pairs.append(("brand", str(self.brand_id)))
        pairs.extend(("attr", f"{attribute}:{value}") for attribute, value in self.attributes)
        if self.name:
            pairs.append(("name", self.name))
        if self.price_min is not None:
            pairs.append(("price_min", str(self.price_min)))
        if self.price_max is not None:
            pairs.append(("price_max", str(self.price_max)))
        if self.sort and self.sort != self.with_changes(sort="").ordering:
            pairs.append(("sort", self.sort))
        if page > 1:
            pairs.append(("page", str(page)))
        return pairs
