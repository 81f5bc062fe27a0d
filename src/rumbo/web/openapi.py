"""The API's own NinjaAPI: every refusal it can answer is in its OpenAPI
document, and text it cannot store is refused per field.

- Any operation with parameters or a body may answer 422 (a value of the wrong
  type or out of range, e.g. `/deals/abc`), any operation with a body 400 (a
  body that is not JSON), and every operation 429 when the throttle is on.
  Clients (and schemathesis in tests/api) rely on the document naming them.
- `TextParser`: a query-string value with a NUL character is refused with 422
  naming the parameter. PostgreSQL cannot hold NUL in text, so such a search
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


class TextParser(Parser):
    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        bad = [key for key, values in data.lists()
               if isinstance(values[0], str) and any("\x00" in v for v in values)]  # fmt: skip
        if bad and data is request.GET:
            raise NinjaValidationError(
                [{"loc": ["query", key], "type": "value_error",
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
        return schema
