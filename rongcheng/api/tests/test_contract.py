"""The OpenAPI schema says what the API really answers: one schema per name, every refusal an
operation can give with the `{code, message}` body, money as decimal strings."""

import importlib
import inspect
import json
import pkgutil

import pytest
import schemathesis
from ninja import Schema
from ninja.responses import NinjaJSONEncoder
from werkzeug import Client

import rongcheng.api
from config.wsgi import application
from rongcheng.api.urls import api
from rongcheng.search.tests.factories import build_shelf

ERROR = {"$ref": "#/components/schemas/ErrorOut"}
INVALID_INPUT = {"$ref": "#/components/schemas/InvalidInputOut"}


def _schemas_by_name() -> dict[str, set[type]]:
    found: dict[str, set[type]] = {}
    for module_info in pkgutil.iter_modules(rongcheng.api.__path__, "rongcheng.api."):
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Schema) and value.__module__.startswith("rongcheng.api."):
                found.setdefault(value.__name__, set()).add(value)
    return found


def test_no_two_schemas_share_a_name():
    # The OpenAPI components are keyed by class name: a second ProductOut silently replaced
    # the first, and search results were documented with the catalogue's price object.
    shared = {name: classes for name, classes in _schemas_by_name().items() if len(classes) > 1}
    assert shared == {}


@pytest.fixture(scope="module")
def openapi():
    """The schema as /api/openapi.json serves it (JSON: status codes are strings)."""
    return json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))


def _response_schema(operation: dict, status: str) -> dict:
    return operation["responses"][status]["content"]["application/json"]["schema"]


def test_every_operation_documents_the_refusals_its_declaration_implies(openapi):
    with_login = []
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            if operation.get("security"):
                with_login.append(f"{method} {path}")
                assert _response_schema(operation, "401") == ERROR
                if method != "get":
                    assert _response_schema(operation, "403") == ERROR
            if operation.get("parameters") or "requestBody" in operation:
                assert _response_schema(operation, "422") == INVALID_INPUT
            else:
                assert "422" not in operation["responses"], path
    # /auth/logout, /auth/me, nine /member, five /bag, five /checkout, five /orders, fourteen
    # /messages, nine /wallet, eight /favorites, three /questions, three /restock, one /board
    # and two /surveys operations
    assert len(with_login) == 66


def test_an_operation_without_input_or_login_documents_only_its_answer(openapi):
    assert list(openapi["paths"]["/api/regions/provinces"]["get"]["responses"]) == ["200"]
    assert sorted(
        openapi["paths"]["/api/member/addresses/{address_id}"]["delete"]["responses"]
    ) == [
        "204",
        "401",
        "403",
        "404",
        "422",
    ]


def test_money_is_a_decimal_string(openapi):
    yuan = {"type": "string", "pattern": "^-?[0-9]+\\.[0-9]{2}$", "examples": ["1280.00"]}
    components = openapi["components"]["schemas"]
    assert components["SearchProductOut"]["properties"]["price"] == {**yuan, "title": "Price"}
    assert components["PriceOut"]["properties"]["amount"] == {
        **yuan,
        "description": "当前售价（特价期内为特价）",
        "title": "Amount",
    }


def _keys(node) -> set[str]:
    if isinstance(node, dict):
        return set(node).union(*(_keys(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_keys(value) for value in node))
    return set()


def test_integer_bounds_are_stated_as_json_schema_states_them(openapi):
    # pydantic's own names for bounds mean nothing to JSON Schema: a client (and the fuzzer)
    # would take any integer as valid and be refused.
    assert not {"ge", "le", "gt", "lt"} & _keys(openapi["components"]["schemas"])
    line = openapi["components"]["schemas"]["LineIn"]["properties"]
    assert line["sku_id"] == {
        "minimum": -(2**63),
        "maximum": 2**63 - 1,
        "title": "Sku Id",
        "type": "integer",
    }
    assert (line["quantity"]["minimum"], line["quantity"]["maximum"]) == (1, 99)
    # A path's id too: SQLite cannot even bind a larger one (PostgreSQL finds nothing).
    (product_id,) = openapi["paths"]["/api/catalog/products/{product_id}"]["get"]["parameters"][:1]
    assert (product_id["schema"]["minimum"], product_id["schema"]["maximum"]) == (
        -(2**63),
        2**63 - 1,
    )


@pytest.mark.django_db
def test_a_path_id_past_any_row_is_refused_as_invalid_input(client):
    response = client.get(f"/api/catalog/products/{2**64}")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


@pytest.mark.django_db
def test_search_and_catalogue_answers_conform_to_the_schema(regions, wsgi_connection_kept):
    build_shelf(regions)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    client = Client(application)
    for path, query in [
        ("/api/search/quick", "q=羊绒"),
        ("/api/search/advanced", "q=羊绒"),
        ("/api/catalog/categories", ""),
        ("/api/catalog/products", ""),
    ]:
        response = client.get(path, query_string=query)
        assert response.status_code == 200
        schema[path]["GET"].validate_response(response)  # raises on any difference
    products = client.get("/api/search/quick", query_string="q=高领羊绒").json["products"]
    assert sorted((item["name"], item["price"]) for item in products) == [
        ("女士高领羊毛衫", "680.00"),
        ("女士高领羊绒衫", "1280.00"),
    ]
