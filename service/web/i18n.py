"""The pages' languages: gettext catalogs per language, and how a request picks one.

The `.po` files under service/locale/<language>/LC_MESSAGES/ are the source of truth: one per
area of the product (`messages.po` for the shared frame, `partner.po`, `survivor.po`, ...), merged
into one catalogue per language. They are compiled in memory when first needed (Babel's
`write_mo`, then `Translations`), so no binary `.mo` is committed and none can go stale; the
catalogue test reads the same merged catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
DEFAULT = "en"
#: Code → the language's own name: a woman finds her language without reading ours.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "it": "Italiano",
    "ro": "Română",
    "ar": "العربية",
}
RTL = frozenset({"ar"})
_TAG = re.compile(r"^([a-zA-Z]{2})(?:[-_][a-zA-Z0-9]{1,8})*$")


def po_path(language: str, area: str = DOMAIN) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{area}.po"


def po_files(language: str) -> list[Path]:
    """The language's area files, `messages.po` first, the others by name."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    return sorted(folder.glob("*.po"), key=lambda path: (path.stem != DOMAIN, path.stem))


def read_area(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def message_key(message_id: str | tuple[str, ...] | list[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


class OpportunityConflict(ValueError):
    """The same message id is translated differently in two area files of one language."""


def catalog(language: str) -> Catalog:
    """All area files of one language as one catalogue.

    An id may appear in two areas only with the same translation: otherwise which one a page
    shows would depend on file order, so the merge refuses.
    """
    merged = Catalog(locale=language, domain=DOMAIN, project="Onward", fuzzy=False)
    origin: dict[str, Path] = {}
    for path in po_files(language):
        for message in read_area(path, language):
            if not message.id:
                continue
            key = message_key(message.id)
            existing = merged.get(message.id)
            if existing is not None and existing.string != message.string:
                raise OpportunityConflict(f"{language}: {key!r} differs in {origin[key].name} and {path.name}")
            if existing is None:
                merged[message.id] = message
                origin[key] = path
    return merged


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> NullTranslations:
    """The compiled catalogue of one language (English is the source text itself)."""
    if language not in LANGUAGES or not po_files(language):
        return NullTranslations()
    catalog_ = catalog(language)
    buffer = BytesIO()
    write_mo(buffer, catalog_)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def supported(code: str | None) -> str | None:
    """`code` if it names one of our page languages, else None."""
    return code if code in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The first of the browser's languages we have, honouring q-values."""
    if not header:
        return None
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        match = _TAG.match(tag.strip())
        if not match:
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        weighted.append((-quality, index, match.group(1).lower()))
    for _, _, code in sorted(weighted):
        if code in LANGUAGES:
            return code
    return None


def direction(language: str) -> str:
    return "rtl" if language in RTL else "ltr"


def jinja_callables(language: str) -> dict[str, Callable[..., Any]]:
    """`gettext`, `ngettext` and `_` for one render, in Jinja's "newstyle" form.

    They are passed in the render context rather than installed on the shared environment,
    because requests in different languages are rendered by the same environment at once.
    """
    catalogue = translations(language)

    @pass_context
    def gettext(context: Context, message: str, **variables: Any) -> str:
        text = catalogue.gettext(message)
        if context.eval_ctx.autoescape:
            # Our own catalogue text, not input; Markup's `%` escapes the variables.
            text = Markup(text)  # noqa: S704
        return text % variables if variables else text

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, number: int, **variables: Any) -> str:
        variables.setdefault("num", number)
        text = catalogue.ngettext(singular, plural, number)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704
        return text % variables

    return {"gettext": gettext, "ngettext": ngettext, "_": gettext}


def translate(language: str, message: str, **variables: Any) -> str:
    """gettext for Python code (form errors, flash messages)."""
    text = translations(language).gettext(message)
    return text % variables if variables else text
