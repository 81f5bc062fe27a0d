"""What a rendered page shows, read from its HTML as a reader would see it:
the text of the elements marked `data-testid`, the rows of a table, the data
a chart is drawn from. Dashboard tests assert on these, not on the template
context (a context can be right while the page shows something else)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class _Element:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Element | str] = []

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return re.sub(r"\s+", " ", " ".join(parts)).strip()

    def walk(self) -> Any:
        yield self
        for child in self.children:
            if isinstance(child, _Element):
                yield from child.walk()


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


class Page:
    """A parsed page: `page.text("figure-revenue")` is what the element marked
    data-testid="figure-revenue" reads; `page.texts(...)` every such element."""

    def __init__(self, html: str | bytes) -> None:
        tree = _Tree()
        tree.feed(html.decode() if isinstance(html, bytes) else html)
        self.root = tree.root

    def all(self, testid: str) -> list[_Element]:
        return [e for e in self.root.walk() if e.attrs.get("data-testid") == testid]

    def texts(self, testid: str) -> list[str]:
        return [e.text() for e in self.all(testid)]

    def text(self, testid: str) -> str:
        found = self.texts(testid)
        assert len(found) == 1, f"{len(found)} elements marked {testid!r}"
        return found[0]

    def has(self, testid: str) -> bool:
        return bool(self.all(testid))

    def data(self, element_id: str) -> Any:
        """The JSON a chart is drawn from (`json_script`)."""
        found = [e for e in self.root.walk() if e.attrs.get("id") == element_id]
        assert len(found) == 1, element_id
        return json.loads(found[0].text())

    def rows(self, testid: str) -> dict[str, dict[str, str]]:
        """Table rows marked `testid`: the row's heading -> {column: cell text},
        the column named by the cell's data-metric (or data-column)."""
        found = {}
        for row in self.all(testid):
            cells = [e for e in row.walk() if e.tag in ("th", "td")]
            head = cells[0].text()
            found[head] = {
                c.attrs.get("data-metric") or c.attrs["data-column"]: c.text()
                for c in cells[1:]
                if "data-metric" in c.attrs or "data-column" in c.attrs
            }
        return found

    def links(self) -> list[str]:
        return [e.attrs.get("href", "") for e in self.root.walk() if e.tag == "a"]

    @property
    def lang(self) -> str:
        return next(e.attrs.get("lang", "") for e in self.root.walk() if e.tag == "html")
