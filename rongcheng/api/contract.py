"""The API's contract: one error body for every refusal, the refusals each operation documents,
and the formats its fields share.

Routers list the refusals of their own use cases (`errors(404)`); the ones that follow from how
an operation is declared are added to the schema here, so none can be forgotten:
401 when it needs a member, 403 when a session may write through it (CSRF), 400 when it reads a
JSON body, 422 when it takes parameters or a body.
"""

import re
from collections.abc import Mapping
from decimal import Decimal
from functools import wraps
from typing import Annotated, Any

from ninja import Field, NinjaAPI, Schema
from ninja.errors import ValidationError
from ninja.openapi.schema import REF_TEMPLATE, NinjaGenerateJsonSchema
from pydantic import BeforeValidator, WithJsonSchema, model_validator

from rongcheng.accounts.services import MOBILE_RE


def whole(regex: re.Pattern) -> str:
    """A service's regular expression as a schema pattern for the whole value."""
    return f"^(?:{regex.pattern})$"


def whole_or_empty(regex: re.Pattern) -> str:
    """The same, where an empty string clears the field."""
    return f"^(?:{regex.pattern})?$"


# Formats the services check, stated in the schema so that what they allow is accepted.
MOBILE = whole(MOBILE_RE)
SMS_CODE = r"^[0-9]{6}$"
REGION_CODE_RE = re.compile(r"[0-9]{6}")
REGION_CODE = whole(REGION_CODE_RE)
# Text that is not blank (services strip it and refuse what is left empty), without NUL.
NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"
# Money is a decimal string in yuan with two places; a price asked for may have fewer.
YUAN = r"^-?[0-9]+\.[0-9]{2}$"
PRICE_QUERY = r"^[0-9]{1,10}(?:\.[0-9]{1,2})?$"

Yuan = Annotated[
    Decimal,
    WithJsonSchema(
        {"type": "string", "pattern": YUAN, "examples": ["1280.00"]}, mode="serialization"
    ),
]


def _json_integer(value: Any) -> Any:
    """A JSON integer (42 or 42.0), not a string or a boolean, which pydantic would convert."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected an integer")
    return value


# An integer in a body, as JSON Schema's "integer" means it, within what a database integer holds
# (SQLite raises on a larger one where PostgreSQL would only find nothing). The bounds come
# before the validator: after it, pydantic writes them into the schema as "ge" and "le", which
# JSON Schema does not know, and clients (and the fuzzer) would not see them.
# Narrower bounds are written the same way: Annotated[int, Field(ge=1, le=5), JsonInteger].
JsonInteger = BeforeValidator(_json_integer)
_DATABASE_INTEGER = Field(ge=-(2**63), le=2**63 - 1)
Integer = Annotated[int, _DATABASE_INTEGER, JsonInteger]
# A row's id in a path, within what a database integer holds, for the same reason.
Id = Annotated[int, _DATABASE_INTEGER]

UNSAFE_METHODS = {"post", "put", "patch", "delete"}
# PostgreSQL can neither store nor compare text with a NUL character: no input may carry one.
NO_NUL = "^[^\x00]*$"


class BodyIn(Schema):
    """A request body. It must be a JSON object: Schema alone reads attributes off anything, so
    `[null]` would pass as a body whose fields are all optional."""

    @model_validator(mode="wrap")
    @classmethod
    def _a_json_object(cls, data: Any, handler: Any) -> Any:
        if not isinstance(data, Mapping):
            raise ValueError("expected a JSON object")
        if any(_carries_nul(data.get(name)) for name in cls.model_fields):
            raise ValueError("NUL is not allowed")
        return handler(data)


class ErrorOut(Schema):
    code: str = Field(description="stable, for programs", examples=["not_found"])
    message: str = Field(description="for people, in the request's language")


class FieldErrorOut(Schema):
    type: str
    loc: list[str | int] = Field(description="where: body, query or path, then the field")
    msg: str


class InvalidInputOut(ErrorOut):
    code: str = Field(description="always invalid_input", examples=["invalid_input"])
    errors: list[FieldErrorOut]


def errors(*statuses: int) -> dict[int, type[Schema]]:
    """The `{code, message}` answers an operation's own use case can give."""
    return dict.fromkeys(statuses, ErrorOut)


def _component(model: type[Schema]) -> dict[str, Any]:
    schema = model.model_json_schema(
        ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode="serialization"
    )
    schema.pop("$defs", None)
    return schema


def _error_response(model: type[Schema], description: str) -> dict[str, Any]:
    ref = {"$ref": REF_TEMPLATE.format(model=model.__name__)}
    return {"description": description, "content": {"application/json": {"schema": ref}}}


def _implied_errors(method: str, operation: dict[str, Any]) -> dict[int, dict[str, Any]]:
    implied: dict[int, dict[str, Any]] = {}
    schemes = {name for option in operation.get("security", []) for name in option}
    if schemes:
        implied[401] = _error_response(ErrorOut, "Unauthorized: not_authenticated")
    if "MemberSessionAuth" in schemes and method in UNSAFE_METHODS:
        implied[403] = _error_response(ErrorOut, "Forbidden: csrf_failed (session writes)")
    if "requestBody" in operation:
        implied[400] = _error_response(ErrorOut, "Bad Request: malformed_body (not JSON)")
    if operation.get("parameters") or "requestBody" in operation:
        implied[422] = _error_response(InvalidInputOut, "Unprocessable Content: invalid_input")
    return implied


def _carries_nul(value: Any) -> bool:
    """Text, or a list of it, with a NUL. An object inside a body is a BodyIn of its own,
    which checks the fields it reads: what it ignores may carry anything."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_carries_nul(item) for item in value)
    return False


def _nul_location(request) -> list[str] | None:
    if "\x00" in request.path:
        return ["path"]
    for key, values in request.GET.lists():
        if _carries_nul([key, *values]):
            return ["query", key.replace("\x00", "")]
    return None  # bodies: BodyIn checks the fields it reads


def _refuse_nul_characters(api: NinjaAPI):
    """Refuse a path or query with a NUL character (422) before any view or query sees it."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            where = _nul_location(request)
            if where is None:
                return view(request, *args, **kwargs)
            error = {"type": "string_pattern_mismatch", "loc": where, "msg": "NUL is not allowed"}
            return api.on_exception(request, ValidationError([error]))

        return checked

    return decorator


def _forbid_nul(node: Any, components: dict[str, Any]) -> None:
    """State NO_NUL on every free-text string of a request schema, the objects it refers to
    included."""
    if isinstance(node, list):
        for item in node:
            _forbid_nul(item, components)
    elif isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "enum", "const"} & node.keys():
            node["pattern"] = NO_NUL
        if "$ref" in node:
            _forbid_nul(components[node["$ref"].rsplit("/", 1)[-1]], components)
        for key in ("anyOf", "oneOf", "items"):
            _forbid_nul(node.get(key), components)
        _forbid_nul(list(node.get("properties", {}).values()), components)


def _request_schemas(schema: dict[str, Any]):
    components = schema["components"]["schemas"]
    for methods in schema["paths"].values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                yield parameter["schema"]
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = content["schema"].get("$ref", "")
                yield components[ref.rsplit("/", 1)[-1]] if ref else content["schema"]


class ContractAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI schema lists every answer an operation can give."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_decorator(_refuse_nul_characters(self), mode="view")

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema["components"]["schemas"]
        for model in (ErrorOut, FieldErrorOut, InvalidInputOut):
            components[model.__name__] = _component(model)
        for methods in schema["paths"].values():
            for method, operation in methods.items():
                for status, response in _implied_errors(method, operation).items():
                    operation["responses"].setdefault(status, response)
        for request_schema in _request_schemas(schema):
            _forbid_nul(request_schema, components)
        return schema
