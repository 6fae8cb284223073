"""Message extraction and catalogue upkeep for the pages (`python -m service.web.catalogue`).

Extraction reads the templates (Jinja's Babel extractor) and service/web/*.py (`N_`, `_`).
`update` writes the template `messages.pot` and merges new ids into every language's `.po`,
keeping existing translations; the catalogue test fails while any id lacks a translation.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from service.web.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, po_path

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


def update() -> None:
    """Write messages.pot and merge it into each language (English translates to itself)."""
    template = extract()
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, omit_header=True, sort_output=True)
    for language in LANGUAGES:
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=language, domain=DOMAIN)
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, project="Onward")
        # A fresh extraction each time: Catalog.update shares message objects with its template.
        catalog.update(extract(), no_fuzzy_matching=True)
        catalog.fuzzy = False
        if language == "en":
            for message in catalog:
                if message.id and not message.string:
                    message.string = message.id
        with path.open("wb") as handle:
            write_po(handle, catalog, sort_output=True, ignore_obsolete=True, width=120)


if __name__ == "__main__":
    if sys.argv[1:] == ["update"]:
        update()
    else:
        print("usage: python -m service.web.catalogue update")
