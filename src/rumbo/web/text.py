"""Text every record may hold: no NUL and no other control characters.

PostgreSQL refuses NUL in text (the write failed in the database, a 500),
SQLite stored it; other control characters (escape, backspace, a vertical
tab...) have no meaning in a name or a note and break the CSV cells, email
headers and page titles that show them. So every text field of Rumbo's
models is checked when the record is validated (`full_clean`, which the
services run for pages, API and imports alike):

- a single-line field (CharField): no control character at all, nor a line
  or paragraph separator;
- a multi-line field (TextField): tab, newline and carriage return only.

`refuse_control_characters()` adds the check to every such field of Rumbo's
own apps once, when the web app is ready, rather than repeating a validator
on each field. Fields that already check for a single line keep theirs.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Control characters (Unicode category Cc) and the line and paragraph separators.
SINGLE_LINE_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The same but tab, newline and carriage return (a browser sends \r\n).
MULTI_LINE_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def validate_single_line_text(value: object) -> None:
    if isinstance(value, str) and SINGLE_LINE_REFUSED.search(value):
        raise ValidationError(
            _("Use a single line without control characters."), code="control_character"
        )


def validate_multi_line_text(value: object) -> None:
    if isinstance(value, str) and MULTI_LINE_REFUSED.search(value):
        raise ValidationError(
            _("Remove the control characters (only tabs and line breaks may be used)."),
            code="control_character",
        )


def refuse_control_characters() -> None:
    for model in apps.get_models():
        if not model.__module__.startswith("rumbo."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.TextField):
                check = validate_multi_line_text
            elif isinstance(field, models.CharField) and not field.choices:
                check = validate_single_line_text
            else:
                continue
            # `validators` is computed once per field (CharField adds its max
            # length to it then); adding to that list keeps what is there.
            names = {getattr(v, "__name__", "") for v in field.validators}
            if names & {"validate_single_line", check.__name__}:
                continue
            field.validators.append(check)
