"""Search for the app and the mini-program: quick, advanced with facets, suggestions."""

from datetime import date

from django.utils.html import escape
from ninja import Field, Query, Router, Schema

from rongcheng.api.contract import Yuan
from rongcheng.search.filters import SearchFilters
from rongcheng.search.models import DocType
from rongcheng.search.selectors import (
    RESULTS_LIMIT,
    ProductHit,
    SearchResults,
    StoreHit,
    advanced_search,
    quick_search,
    suggest,
)
from rongcheng.search.text import Segment

router = Router(tags=["search"])


def _marked(segments: list[Segment]) -> str:
    """Escaped text with each hit in <em>…</em>, ready to show."""
    return "".join(f"<em>{escape(text)}</em>" if hit else escape(text) for text, hit in segments)


class SearchProductOut(Schema):
    id: int
    name: str
    name_highlighted: str
    subtitle: str
    subtitle_highlighted: str
    brand_id: int
    brand_name: str
    thumbnail_url: str
    price: Yuan
    regular_price: Yuan
    is_special: bool
    sales_count: int
    launch_date: date

    @staticmethod
    def of(hit: ProductHit) -> "SearchProductOut":
        card = hit.card
        return SearchProductOut(
            id=card.id,
            name=card.name,
            name_highlighted=_marked(hit.title),
            subtitle=card.subtitle,
            subtitle_highlighted=_marked(hit.summary),
            brand_id=card.brand_id,
            brand_name=card.brand_name,
            thumbnail_url=card.thumbnail_url,
            price=card.price.amount,
            regular_price=card.price.regular,
            is_special=card.price.is_special,
            sales_count=card.sales_count,
            launch_date=card.launch_date,
        )


class SearchStoreOut(Schema):
    id: int
    name: str
    name_highlighted: str
    address: str
    address_highlighted: str
    city_code: str

    @staticmethod
    def of(hit: StoreHit) -> "SearchStoreOut":
        return SearchStoreOut(
            id=hit.id,
            name=hit.name,
            name_highlighted=_marked(hit.title),
            address=hit.address,
            address_highlighted=_marked(hit.summary),
            city_code=hit.city_code,
        )


class CategoryRefOut(Schema):
    id: int
    name: str


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class AttributeFacetOut(Schema):
    attribute_id: int
    name: str
    values: list[FacetValueOut]


class FacetsOut(Schema):
    category_path: list[CategoryRefOut]
    categories: list[FacetValueOut]
    brands: list[FacetValueOut]
    attributes: list[AttributeFacetOut]


class ResultsOut(Schema):
    total: int = Field(description=f"Results listed: every match, at most {RESULTS_LIMIT:,}")
    capped: list[str] = Field(
        description=f"Types of which more than {RESULTS_LIMIT:,} match: "
        "their count in `counts` stops there"
    )
    page: int
    pages: int
    counts: dict[str, int]
    products: list[SearchProductOut]
    stores: list[SearchStoreOut]
    did_you_mean: str
    nearest_categories: list[CategoryRefOut]


class AdvancedResultsOut(ResultsOut):
    facets: FacetsOut


def _results(results: SearchResults) -> dict:
    hits = list(results.page)
    products = [SearchProductOut.of(hit) for hit in hits if isinstance(hit, ProductHit)]
    stores = [SearchStoreOut.of(hit) for hit in hits if isinstance(hit, StoreHit)]
    return {
        "total": results.total,
        "capped": sorted(results.capped),
        "page": results.page.number,
        "pages": results.page.paginator.num_pages,
        "counts": results.counts,
        "products": products,
        "stores": stores or [SearchStoreOut.of(hit) for hit in results.stores],
        "did_you_mean": results.did_you_mean,
        "nearest_categories": [{"id": n.id, "name": n.name} for n in results.nearest_categories],
    }


class QuickIn(Schema):
    q: str = ""
    type: str = DocType.PRODUCT
    page: int = 1
    per_page: int = 20
    city: str = ""


@router.get(
    "/quick",
    response=ResultsOut,
    url_name="search_quick",
    summary="快速搜索：空格分隔的关键词须全部匹配",
)
def quick(request, params: Query[QuickIn]):
    results = quick_search(
        q=params.q[:100],
        doc_type=params.type if params.type in DocType.values else DocType.PRODUCT,
        page=params.page,
        per_page=params.per_page,
        city_code=params.city or None,
    )
    return _results(results)


class AdvancedIn(Schema):
    q: str = ""
    name: str = ""
    category: str = ""
    brand: str = ""
    attr: list[str] = []
    price_min: str = ""
    price_max: str = ""
    sort: str = ""
    page: int = 1
    per_page: int = 20


@router.get(
    "/advanced",
    response=AdvancedResultsOut,
    url_name="search_advanced",
    summary="高级搜索：类目、品牌、关键属性、名称、价格区间，附分面计数",
)
def advanced(request, params: Query[AdvancedIn]):
    filters = SearchFilters.from_params(
        {key: value for key, value in params.dict().items() if key not in ("page", "per_page")}
    )
    results = advanced_search(filters=filters, page=params.page, per_page=params.per_page)
    facets = results.facets
    assert facets is not None  # advanced search always computes them
    return {
        **_results(results),
        "facets": {
            "category_path": [{"id": n.id, "name": n.name} for n in facets.category_path],
            "categories": facets.categories,
            "brands": facets.brands,
            "attributes": facets.attributes,
        },
    }


class SuggestionOut(Schema):
    kind: str
    text: str
    id: int


@router.get(
    "/suggest",
    response=list[SuggestionOut],
    url_name="search_suggest",
    summary="输入提示：按前缀、拼音或首字母",
)
def suggestions(request, q: str = ""):
    return [{"kind": s.kind, "text": s.text, "id": s.object_id} for s in suggest(q=q[:100])]
