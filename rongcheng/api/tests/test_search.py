import pytest

from rongcheng.search import selectors
from rongcheng.search.tests.factories import build_shelf

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(regions):
    return build_shelf(regions)


def test_quick_search(client, shelf):
    body = client.get("/api/search/quick", {"q": "羊绒 高领"}).json()
    assert (body["total"], body["page"], body["pages"]) == (2, 1, 1)
    assert body["counts"] == {"product": 2, "store": 0, "article": 0}
    assert body["capped"] == []
    products = {item["name"]: item for item in body["products"]}
    assert sorted(products) == ["女士高领羊毛衫", "女士高领羊绒衫"]
    turtleneck = products["女士高领羊绒衫"]
    assert turtleneck["name_highlighted"] == "女士<em>高领羊绒</em>衫"
    assert (turtleneck["price"], turtleneck["sales_count"]) == ("1280.00", 50)
    assert body["stores"] == [] and body["did_you_mean"] == ""


def test_quick_search_past_the_results_limit(client, shelf, monkeypatch):
    monkeypatch.setattr(selectors, "RESULTS_LIMIT", 3)
    body = client.get("/api/search/quick", {"q": "羊绒", "per_page": 2}).json()
    assert (body["total"], body["pages"], body["capped"]) == (3, 2, ["product"])
    assert body["counts"] == {"product": 3, "store": 0, "article": 0}


def test_quick_search_for_stores(client, shelf):
    body = client.get("/api/search/quick", {"q": "直营店", "type": "store"}).json()
    assert body["stores"] == [
        {
            "id": shelf.store.id,
            "name": "绒城购东胜直营店",
            "name_highlighted": "绒城购东胜<em>直营店</em>",
            "address": "东胜区鄂尔多斯西街 1 号",
            "address_highlighted": "东胜区鄂尔多斯西街 1 号",
            "city_code": "150600",
        }
    ]


def test_quick_search_with_nothing_found(client, shelf):
    body = client.get("/api/search/quick", {"q": "羊绒杉"}).json()
    assert body["total"] == 0
    assert body["did_you_mean"] == "羊绒衫"
    assert body["nearest_categories"][0] == {"id": shelf.sweaters.id, "name": "女士羊绒衫"}


def test_advanced_search_with_facets(client, shelf):
    response = client.get(
        "/api/search/advanced",
        {
            "q": "羊绒",
            "category": shelf.women.id,
            "attr": [f"{shelf.collar.id}:高领"],
            "sort": "price",
        },
    )
    body = response.json()
    assert [item["name"] for item in body["products"]] == ["女士高领羊毛衫", "女士高领羊绒衫"]
    facets = body["facets"]
    assert facets["category_path"] == [{"id": shelf.women.id, "name": "女装"}]
    assert facets["categories"] == [
        {"value": str(shelf.sweaters.id), "label": "女士羊绒衫", "count": 2, "selected": False}
    ]
    assert [
        (a["name"], [(v["label"], v["count"], v["selected"]) for v in a["values"]])
        for a in facets["attributes"]
    ] == [
        ("领型", [("高领", 2, True), ("圆领", 1, False)]),
        ("针法", [("粗针", 1, False), ("细针", 1, False)]),
    ]


def test_advanced_search_with_an_unknown_category(client, shelf):
    response = client.get("/api/search/advanced", {"category": 999999})
    assert response.status_code == 404
    assert response.json() == {"code": "category_not_found", "message": "没有这个类目。"}


def test_suggestions(client, shelf):
    assert client.get("/api/search/suggest", {"q": "wj"}).json() == [
        {"kind": "category", "text": "围巾", "id": shelf.scarves.id},
        {"kind": "product", "text": "羊绒围巾", "id": shelf.scarf.id},
    ]
    assert client.get("/api/search/suggest").json() == []
