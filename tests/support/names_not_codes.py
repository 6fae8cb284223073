"""What a person reads on a page, and the codes she must never read there (issue 13, point 4).

`visible_text` keeps what a browser shows: text outside <script>/<style>, the text a field
holds (values of visible inputs, textareas), and the words screen readers and tooltips say
(`placeholder`, `title`, `aria-label`, `alt`). `codes_in` finds in it what a person must not
read: an ESCO address, a stored NUTS code standing where a region name belongs, a raw field
name (`hours_per_week`, `hours_per_week=60`), a hex id, or the fallback "Detail (in English)".
A page that explains a file format (the CSV import) may name the format's columns and values:
the caller passes them as ``format_columns``, and only those words are let through there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

ESCO = re.compile(r"(?:https?://)?data\.europa\.eu\S*|esco/(?:skill|occupation)/\S*")
FIELD_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b(?:=\S*)?|\b[a-z]+=[\w.-]+")
HEX_ID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b[0-9a-f]{32}\b")
FALLBACK = re.compile(r"Detail \(in English\)")
SPOKEN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
HIDDEN_INPUTS = frozenset({"hidden", "submit", "button", "checkbox", "radio", "file"})


@dataclass
class Text:
    """The visible text of a page, and the part of it shown as code."""

    plain: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)

    def joined(self) -> str:
        return " ".join(" ".join(self.plain).split())


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = Text()
        self.hidden = 0
        self.in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in ("script", "style", "template"):
            self.hidden += 1
        if tag == "code":
            self.in_code += 1
        for name in SPOKEN_ATTRIBUTES:
            if values.get(name):
                self.text.plain.append(values[name])
        if tag == "input" and values.get("type", "text") not in HIDDEN_INPUTS and values.get("value"):
            self.text.plain.append(values["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self.hidden = max(0, self.hidden - 1)
        if tag == "code":
            self.in_code = max(0, self.in_code - 1)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        (self.text.code if self.in_code else self.text.plain).append(data)


def visible_text(html: str) -> Text:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.text


def codes_in(text: Text, region_codes: Iterable[str], format_columns: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Every code a person would read on the page, as (kind, code): kinds are esco, id,
    fallback, field and region. Empty when the page speaks only in names."""
    plain = text.joined()
    found = [("esco", match.group(0)) for match in ESCO.finditer(plain)]
    plain = ESCO.sub(" ", plain)  # an address counts once, not again for the id inside it
    found += [("id", match.group(0)) for match in HEX_ID.finditer(plain)]
    found += [("fallback", match.group(0)) for match in FALLBACK.finditer(plain)]
    columns = set(format_columns)
    found += [("field", m.group(0)) for m in FIELD_NAME.finditer(plain) if m.group(0) not in columns]
    for snippet in text.code:
        found += [("esco", m.group(0)) for m in ESCO.finditer(snippet)]
        found += [("field", m.group(0)) for m in FIELD_NAME.finditer(snippet) if m.group(0) not in columns]
    words = set(re.findall(r"\b[A-Z0-9]{2,6}\b", " ".join([plain, *text.code])))
    found += [("region", code) for code in sorted(words & set(region_codes))]
    return found
