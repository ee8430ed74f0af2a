"""English words find goods and stores by their English values (INTL-1), on both backends,
and English pages show the English titles."""

import pytest
from django.db import connection
from django.utils import translation

from rongcheng.catalog.models import Category, Product, Sku
from rongcheng.search.filters import SearchFilters
from rongcheng.search.selectors import advanced_search, quick_search, suggest
from rongcheng.search.services import index_rebuild
from rongcheng.stores.models import Store


def _translate(shelf) -> None:
    Product.objects.filter(pk=shelf.cardigan.pk).update(
        name_en="Women's Crew-neck Cashmere Cardigan", subtitle_en="Soft and light"
    )
    Product.objects.filter(pk=shelf.scarf.pk).update(name_en="Cashmere Scarf")
    Sku.objects.filter(product=shelf.turtleneck, colour="驼色").update(colour_en="Camel")
    Category.objects.filter(pk=shelf.coats.pk).update(name_en="Women's Coats")
    Store.objects.filter(pk=shelf.store.pk).update(
        name_en="Rongcheng Dongsheng Store", address_en="1 Ordos West Street"
    )
    index_rebuild()


def _names(q: str) -> list[str]:
    return sorted(hit.card.name for hit in advanced_search(filters=SearchFilters(q=q)).page)


def _assert_cases(shelf) -> None:
    _translate(shelf)
    assert _names("cardigans") == ["女士圆领羊绒开衫"]  # stemmed, like the Chinese words
    assert _names("camel") == ["女士高领羊绒衫"]  # a colour's English name
    assert _names("coats") == ["山羊绒双面大衣"]  # the category's English name
    assert _names("cashmere scarf") == ["羊绒围巾"]
    assert _names("开衫") == ["女士圆领羊绒开衫"]  # Chinese still finds it
    stores = quick_search(q="ordos street", doc_type="store").page
    assert [hit.id for hit in stores] == [shelf.store.id]

    with translation.override("en"):
        hit = quick_search(q="cardigan").page[0]
        assert "".join(part for part, _hit in hit.title) == "Women's Crew-neck Cashmere Cardigan"
        assert "".join(part for part, _hit in hit.summary) == "Soft and light"
        assert [(s.kind, s.text) for s in suggest(q="scar")] == [("product", "Cashmere Scarf")]
        assert stores_title(q="dongsheng") == ["Rongcheng Dongsheng Store"]
    with translation.override("zh-hans"):
        hit = quick_search(q="cardigan").page[0]
        assert "".join(part for part, _hit in hit.title) == "女士圆领羊绒开衫"
        assert stores_title(q="dongsheng") == ["绒城购东胜直营店"]


def stores_title(*, q: str) -> list[str]:
    return [hit.name for hit in quick_search(q=q, doc_type="store").page]


@pytest.mark.django_db
def test_english_words_on_this_database(shelf):
    _assert_cases(shelf)


@pytest.mark.postgres
@pytest.mark.django_db
def test_english_words_on_postgresql(shelf):
    assert connection.vendor == "postgresql"
    _assert_cases(shelf)
