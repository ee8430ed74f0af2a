"""The browsing API: categories, brands, product lists with filters, details, stores."""

from decimal import Decimal

import pytest
from django.utils import timezone

from rongcheng.catalog.models import Product, Sku
from rongcheng.catalog.tests.factories import make_product
from rongcheng.inventory.models import Stock, StoreListing
from rongcheng.storefront.tests.browse_data import DAY

pytestmark = pytest.mark.django_db


def _get(client, path, **params):
    response = client.get("/api/catalog" + path, params)
    return response.status_code, response.json()


def _names(body):
    return [item["name"] for item in body["items"]]


def test_categories_come_as_a_tree_in_display_order(client, mall):
    status, body = _get(client, "/categories")
    assert status == 200
    assert [(root["name"], root["is_recommended"]) for root in body] == [
        ("女装", True),
        ("男装", True),
        ("家居", False),
    ]
    assert [child["name"] for child in body[0]["children"]] == ["羊绒衫", "羊绒大衣"]
    assert body[0]["children"][0] == {
        "id": mall.knit.id,
        "name": "羊绒衫",
        "is_recommended": False,
        "children": [],
    }


def test_brands_filter_by_audience_and_hall(client, mall):
    _status, body = _get(client, "/brands")
    assert [brand["name"] for brand in body] == ["1436", "鄂尔多斯", "绒城"]
    assert body[1] == {
        "id": mall.erdos.id,
        "name": "鄂尔多斯",
        "name_latin": "ERDOS",
        "logo_url": "",
        "slogan": "",
        "in_brand_hall": True,
        "is_hot": True,
        "audiences": ["women", "men"],
    }
    assert [b["name"] for b in _get(client, "/brands", audience="men")[1]] == ["鄂尔多斯"]
    assert [b["name"] for b in _get(client, "/brands", hall="true")[1]] == ["1436", "鄂尔多斯"]


def test_product_list_filters_are_exact(client, mall):
    # Filler i: category i % 4 (羊绒衫, 大衣, 男装, 家居), brand i % 3 (鄂尔多斯, 1436, 绒城),
    # audience women for even i, sales i, price 2000 + i, special 1500 + i when i % 5 == 0.
    def names(**params):
        return _names(_get(client, "/products", **params)[1])

    assert names(category=mall.men.id) == ["常规款18", "常规款14", "常规款10", "常规款6", "常规款2"]
    assert names(category=mall.women.id, brand=mall.erdos.id) == [
        "常规款12",
        "常规款9",
        "常规款0",
    ]
    assert names(audience="women", category=mall.home.id) == []  # 家居 has odd i only
    assert names(audience="men", brand=mall.rongcheng.id) == ["常规款17", "常规款11", "常规款5"]
    assert names(special="true") == ["常规款15", "常规款10", "常规款5", "常规款0"]
    # The price range is on the current price: 常规款5 costs 1505 now, not its 2005.
    assert names(min_price="2004", max_price="2006") == ["常规款6", "常规款4"]
    assert names(min_price="1505", max_price="1512") == ["常规款10", "常规款5"]
    assert names(max_price="1510", sort="price") == ["常规款0", "常规款5", "常规款10"]
    assert names(q="常规款1 9") == ["常规款19"]


def test_product_list_sorts_and_pages(client, mall):
    status, body = _get(client, "/products", sort="-price", per_page=3, page=2)
    assert status == 200
    assert (body["count"], body["page"], body["pages"], body["per_page"]) == (20, 2, 7, 3)
    assert _names(body) == ["常规款16", "常规款15", "常规款14"]
    card = _get(client, "/products", sort="newest", per_page=1)[1]["items"][0]
    assert card == {
        "id": mall.products[0].id,
        "name": "常规款0",
        "subtitle": "",
        "brand_id": mall.erdos.id,
        "brand_name": "鄂尔多斯",
        "thumbnail_url": "/media/catalog/products/F000000/thumbs/main.jpg",
        "price": {
            "amount": "1500.00",
            "regular": "2000.00",
            "is_special": True,
            "special_ends_at": None,
        },
        "sales_count": 0,
        "launch_date": str(mall.products[0].launch_date),
    }


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"sort": "cheapest"}, 422, "invalid_input"),
        ({"per_page": 101}, 422, "invalid_input"),
        ({"page": 0}, 422, "invalid_input"),
        ({"min_price": "-1"}, 422, "invalid_input"),
        ({"category": 999999}, 404, "category_not_found"),
    ],
)
def test_product_list_refuses_bad_parameters(client, mall, params, status, code):
    response = client.get("/api/catalog/products", params)
    assert response.status_code == status
    assert response.json()["code"] == code


def test_product_list_query_count_does_not_grow(client, sized_mall, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # category tree, count, page
        status, body = _get(client, "/products", category=sized_mall.women.id, special="true")
    assert status == 200 and len(body["items"]) == (2 if len(sized_mall.products) == 20 else 20)


def test_product_detail_with_the_stock_of_a_city(client, mall, ordos_visitor):
    product = make_product(
        name="经典圆领羊绒衫",
        category=mall.knit,
        brand=mall.erdos,
        colours=("驼色",),
        sizes=("S", "M"),
        price=Decimal("1280.00"),
    )
    small, medium = product.skus.get(size="S"), product.skus.get(size="M")
    now = timezone.now()
    Sku.objects.filter(id=medium.id).update(
        special_price=Decimal("999.00"), special_starts_at=now - DAY, special_ends_at=now + DAY
    )
    StoreListing.objects.create(store=mall.store_near, product=product)
    StoreListing.objects.create(store=mall.store_beijing, product=product)
    Stock.objects.create(store=mall.store_near, sku=small, on_hand=4, reserved=1)
    Stock.objects.create(store=mall.store_beijing, sku=medium, on_hand=9)

    status, body = _get(client, f"/products/{product.id}")
    assert status == 200
    assert body["name"] == "经典圆领羊绒衫" and body["brand"] == {
        "id": mall.erdos.id,
        "name": "鄂尔多斯",
    }
    assert [c["name"] for c in body["categories"]] == ["女装", "羊绒衫"]
    assert body["price"]["amount"] == "999.00" and body["price"]["is_special"] is True
    assert [(s["size"], s["price"]["amount"], s["stock"]) for s in body["skus"]] == [
        ("S", "1280.00", 3),
        ("M", "999.00", 0),
    ]
    beijing = _get(client, f"/products/{product.id}", city="110100")[1]
    assert [(s["size"], s["stock"]) for s in beijing["skus"]] == [("S", 0), ("M", 9)]


def test_unknown_or_inactive_product_is_not_found(client, mall):
    Product.objects.filter(id=mall.products[0].id).update(is_active=False)
    for product_id in (mall.products[0].id, 999999):
        status, body = _get(client, f"/products/{product_id}")
        assert (status, body["code"]) == (404, "product_not_found")


def test_stores_near_a_point_come_nearest_first_with_distances(client, mall):
    status, body = _get(client, "/stores", near="39.817,109.977")
    assert status == 200
    assert [(s["name"], s["distance_km"]) for s in body] == [
        ("东胜体验店", 0.0),
        ("康巴什旗舰店", 28.66),
        ("伊金霍洛店", 34.59),
    ]
    nearest = _get(client, "/stores", near="39.817,109.977", limit=1)[1]
    assert [s["name"] for s in nearest] == ["东胜体验店"]
    beijing = _get(client, "/stores", near="39.9,116.4", radius_km=20)[1]
    assert [(s["name"], s["city_code"]) for s in beijing] == [("北京国贸店", "110100")]


def test_stores_of_a_city(client, mall, ordos_visitor):
    body = _get(client, "/stores", city="110100")[1]
    assert [s["name"] for s in body] == ["北京国贸店"] and body[0]["distance_km"] is None
    assert body[0]["kind_label"] == "直营店" and body[0]["city_name"] == "北京市"
    assert [s["name"] for s in _get(client, "/stores")[1]] == [
        "东胜体验店",
        "康巴什旗舰店",
        "伊金霍洛店",
    ]


@pytest.mark.parametrize("near", ["39.8", "91,100", "39.8,181", "39.8,", "39.8, 109.9", "1e1,2"])
def test_stores_refuse_a_point_that_is_not_latitude_comma_longitude(client, mall, near):
    status, body = _get(client, "/stores", near=near)
    assert (status, body["code"]) == (422, "invalid_input")
    assert body["errors"][0]["loc"] == ["query", "near"]


@pytest.mark.parametrize("near", ["90,180", "-90.0,-180.0", "0,0", "39.817,109.977"])
def test_stores_accept_every_point_on_the_globe(client, mall, near):
    assert _get(client, "/stores", near=near)[0] == 200


def test_openapi_documents_the_catalog_routes(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {path for path in paths if path.startswith("/api/catalog/")} == {
        "/api/catalog/categories",
        "/api/catalog/brands",
        "/api/catalog/products",
        "/api/catalog/products/{product_id}",
        "/api/catalog/stores",
    }


@pytest.mark.parametrize(
    ("path", "params", "loc"),
    [
        ("/api/catalog/brands", {"audience": "wo\x00men"}, ["query", "audience"]),
        ("/api/regions/cities", {"q": "\x00"}, ["query", "q"]),
        ("/api/regions/15\x00/children", {}, ["path"]),
    ],
)
def test_text_with_a_nul_character_is_refused_before_any_query(client, path, params, loc):
    # PostgreSQL refuses such text outright: without this check the answer was a server error.
    response = client.get(path, params)
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["errors"][0]["loc"]) == ("invalid_input", loc)


def test_the_schema_states_that_text_carries_no_nul(client):
    parameters = client.get("/api/openapi.json").json()["paths"]["/api/catalog/brands"]["get"]
    audience = next(p for p in parameters["parameters"] if p["name"] == "audience")
    assert audience["schema"]["pattern"] == "^[^\x00]*$"
