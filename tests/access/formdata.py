"""POST data read from a form page the way a browser would: the form's fields
as they stand (inline formsets and all), with one text field changed, so an
allowed edit visibly saves."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.http import HttpResponse

CHANGED = "Changed by the access walk"
SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}


@dataclass
class _Form:
    method: str
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # name, value, kind


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self.form: _Form | None = None
        self.select: tuple[str, bool, list[tuple[str, bool]]] | None = None
        self.option: list[Any] | None = None
        self.textarea: list[str] | None = None

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attr_list}
        present = {k for k, _v in attr_list}
        if tag == "form":
            self.form = _Form(attrs.get("method", "get").lower(), attrs.get("action", ""))
            self.forms.append(self.form)
        if self.form is None or (tag != "option" and "name" not in attrs):
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in SKIPPED_INPUTS or "disabled" in present:
                return
            if kind in ("checkbox", "radio") and "checked" not in present:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.form.fields.append((attrs["name"], attrs.get("value", default), kind))
        elif tag == "select":
            self.select = (attrs["name"], "multiple" in present, [])
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "selected" in present, ""]
        elif tag == "textarea":
            self.textarea = [attrs["name"]]

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option[2] += data
        if self.textarea is not None:
            self.textarea.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self.option is not None and self.select is not None:
            value, selected, text = self.option
            self.select[2].append((text.strip() if value is None else value, selected))
            self.option = None
        elif tag == "select" and self.select is not None and self.form is not None:
            name, multiple, options = self.select
            chosen = [v for v, selected in options if selected]
            if not chosen and options and not multiple:
                chosen = [options[0][0]]  # a browser submits the first option
            self.form.fields += [(name, v, "select") for v in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            name, *text = self.textarea
            self.form.fields.append((name, "".join(text).removeprefix("\n"), "textarea"))
            self.textarea = None
        elif tag == "form":
            self.form = None


def post_form(html: str, url: str) -> _Form | None:
    """The page's own POST form (not the log-out form in the menu)."""
    parser = _FormParser()
    parser.feed(html)
    own = [f for f in parser.forms if f.method == "post" and f.action in ("", url)]
    return max(own, key=lambda f: len(f.fields), default=None)


def submission(form: _Form) -> dict[str, Any]:
    """The form's fields as test-client data, with one text field changed."""
    data: dict[str, Any] = {}
    for name, value, _kind in form.fields:
        data.setdefault(name, []).append(value)
    kinds = {name: kind for name, _value, kind in form.fields}
    text = [n for n in kinds if kinds[n] in ("text", "textarea")]
    changed = "name" if kinds.get("name") == "text" else next(iter(text), None)
    if changed:
        data[changed] = [CHANGED]
    return {k: v[0] if len(v) == 1 else v for k, v in data.items()}


def form_submission(response: HttpResponse, url: str) -> dict[str, Any] | None:
    """What submitting the page's own form unchanged (but for one text field) would send."""
    if response.status_code != 200:
        return None
    form = post_form(response.content.decode(errors="replace"), url)
    return submission(form) if form else None
