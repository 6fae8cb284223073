"""Message extraction and catalogue upkeep for the pages (`python -m service.web.translations`).

Extraction reads the templates (Jinja's Babel extractor) and service/web/*.py (`N_`, `_`).
`update` writes the template `messages.pot` (for translators' tools; generated, not committed)
and merges new ids into one area file of every language
(`--area partner service/templates/partner service/web/partner_listing_pages.py`), keeping
existing translations; the catalogue test fails while any id lacks a translation.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from service.web.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, message_key, po_files, po_path, read_area

SERVICE_DIR = Path(__file__).resolve().parent.parent
METHOD_MAP = [("web/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}


def extract() -> Catalog:
    """Every message id used by the pages, with where it is used."""
    catalog = Catalog(domain=DOMAIN, project="Onward", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        SERVICE_DIR, METHOD_MAP, options_map=OPTIONS, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(f"service/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def update(area: str = DOMAIN, paths: tuple[str, ...] = ()) -> None:
    """Write messages.pot and merge new ids into one area file of each language.

    The area file (``<area>.po``) gets the ids used under ``paths`` (prefixes such as
    ``service/templates/partner`` or ``service/web/partner_pages.py``; all sources for the
    default area) that no other area file holds yet; its ids no longer used are dropped.
    Other area files are left alone, so areas can be worked on side by side. English
    translates to itself.
    """
    template = extract()
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, omit_header=True, sort_output=True)
    for language in LANGUAGES:
        path = po_path(language, area)
        path.parent.mkdir(parents=True, exist_ok=True)
        elsewhere = {
            message_key(message.id)
            for other in po_files(language)
            if other != path
            for message in read_area(other, language)
            if message.id
        }
        catalog = read_area(path, language) if path.exists() else Catalog(locale=language, domain=DOMAIN)
        mine = {message_key(message.id) for message in catalog if message.id}
        wanted = Catalog(domain=DOMAIN, project="Onward", fuzzy=False)
        # A fresh extraction each time: Catalog.update shares message objects with its template.
        for message in extract():
            if not message.id:
                continue
            key = message_key(message.id)
            used_here = not paths or any(location.startswith(paths) for location, _ in message.locations)
            if key in mine or (key not in elsewhere and used_here):
                wanted[message.id] = message
        catalog.update(wanted, no_fuzzy_matching=True)
        catalog.fuzzy = False
        if language == "en":
            for message in catalog:
                if message.id and isinstance(message.id, str) and not message.string:
                    message.string = message.id
                elif message.id and not isinstance(message.id, str) and not all(message.string or ()):
                    message.string = tuple(message.id)
        with path.open("wb") as handle:
            write_po(handle, catalog, sort_output=True, ignore_obsolete=True, width=120)


def main(argv: list[str]) -> None:
    """`update [--area NAME] [PATH_PREFIX ...]`."""
    if not argv or argv[0] != "update":
        print("usage: python -m service.web.translations update [--area NAME] [PATH_PREFIX ...]")
        raise SystemExit(2)
    args = argv[1:]
    area = DOMAIN
    if args[:1] == ["--area"] and len(args) > 1:
        area, args = args[1], args[2:]
    update(area, tuple(args))


if __name__ == "__main__":
    main(sys.argv[1:])
