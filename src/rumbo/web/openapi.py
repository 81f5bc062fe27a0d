"""The API's own NinjaAPI: every refusal it can answer is in its OpenAPI
document, and text it cannot store is refused per field.

- Any operation with parameters or a body may answer 422 (a value of the wrong
  type or out of range, e.g. `/deals/abc`), any operation with a body 400 (a
  body that is not JSON), and every operation 429 when the throttle is on.
  Clients (and schemathesis in tests/api) rely on the document naming them.
- Text the API takes is documented with the characters it refuses (web/text.py):
  a string field with a maximum length is stored in a single-line field (no
  control characters), one without is free text (tabs and line breaks only);
  a query-string value may not hold NUL. Clients, and schemathesis, then send
  what the API accepts.
- `TextParser`: a query-string or form value with a NUL character is refused
  with 422 naming the parameter. PostgreSQL cannot hold NUL in text, so such a search
  would fail in the database; no stored name contains one (web/text.py).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from pydantic import BaseModel

from rumbo.web.api_helpers import ErrorOut, ValidationErrorOut

REF = "#/components/schemas/{model}"
# The patterns of web/text.py, in the syntax JSON Schema (ECMA-262) reads.
SINGLE_LINE = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$"
MULTI_LINE = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]*$"
NO_NUL = r"^[^\u0000]*$"


class TextParser(Parser):
    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        bad = [key for key, values in data.lists()
               if isinstance(values[0], str) and any("\x00" in v for v in values)]  # fmt: skip
        where = "query" if data is request.GET else "form" if data is request.POST else ""
        if bad and where:
            raise NinjaValidationError(
                [{"loc": [where, key], "type": "value_error",
                  "msg": _("Remove the NUL character.")} for key in bad]  # fmt: skip
            )
        return super().parse_querydict(data, list_fields, request)


def _content(model: type[BaseModel]) -> dict[str, Any]:
    ref = REF.format(model=model.__name__)
    return {"content": {"application/json": {"schema": {"$ref": ref}}}}


def _add_component(schema: OpenAPISchema, model: type[BaseModel]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    found = model.model_json_schema(ref_template=REF)
    for name, sub in found.pop("$defs", {}).items():
        components.setdefault(name, sub)
    components.setdefault(model.__name__, found)


def _strings(schema: Any, *, free: bool = True) -> list[dict[str, Any]]:
    """The string schemas in `schema`, through anyOf/oneOf/allOf and items;
    `free`: only those without a set of values, a format or a pattern."""
    if not isinstance(schema, dict):
        return []
    if schema.get("type") == "string":
        bound = any(key in schema for key in ("enum", "const", "format", "pattern"))
        return [] if free and bound else [schema]
    found = [s for key in ("anyOf", "oneOf", "allOf") for sub in schema.get(key, [])
             for s in _strings(sub, free=free)]  # fmt: skip
    return found + _strings(schema.get("items"), free=free)


def _refs(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        own = {schema["$ref"].rsplit("/", 1)[-1]} if "$ref" in schema else set()
        return own.union(*(_refs(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_refs(v) for v in schema))
    return set()


def _document_text(schema: OpenAPISchema) -> None:
    components = schema.get("components", {}).get("schemas", {})
    bodies: set[str] = set()
    answers: set[str] = set()
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            bodies |= _refs(operation.get("requestBody"))
            answers |= _refs(operation.get("responses"))
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    for text in _strings(parameter.get("schema")):
                        text["pattern"] = NO_NUL
    # Only schemas no answer uses: stored text is not re-checked when it is read.
    for name in bodies - answers:
        # A PATCH schema (ninja's PatchDict) drops the lengths: read them on the create's.
        base = components.get(name.removesuffix("Patch").removesuffix("Change"), {})
        for key, prop in components.get(name, {}).get("properties", {}).items():
            created = base.get("properties", {}).get(key)
            limited = {"maxLength" in t for t in _strings(created, free=False)}
            for text in _strings(prop):
                one_line = "maxLength" in text or True in limited
                text["pattern"] = SINGLE_LINE if one_line else MULTI_LINE


class RumboNinjaAPI(NinjaAPI):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("parser", TextParser())
        super().__init__(**kwargs)

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        _add_component(schema, ErrorOut)
        _add_component(schema, ValidationErrorOut)
        throttled = bool(self.throttle)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                body = "requestBody" in operation
                refusals: dict[int, tuple[str, type[BaseModel]]] = {}
                if body or operation.get("parameters"):
                    refusals[422] = (_("A value is missing, of the wrong type or out of range."),
                                     ValidationErrorOut)  # fmt: skip
                if body:
                    refusals[400] = (_("The body is not JSON."), ErrorOut)
                if throttled:
                    refusals[429] = (_("Too many requests; see Retry-After."), ErrorOut)
                for status, (text, model) in refusals.items():
                    if str(status) not in responses and status not in responses:
                        responses[status] = {"description": text, **_content(model)}
        _document_text(schema)
        return schema
