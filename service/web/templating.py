"""The Jinja environment the pages are rendered with."""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from litestar.plugins.jinja import JinjaTemplateEngine

from providers.regions import region_name
from service.web.matches_words import language_name


@pass_context
def _region_name(context: Context, code: str | None) -> str:
    """`{{ region_name(row.region) }}`: a stored NUTS code as its name, in the page's language."""
    language: Any = context.get("lang") or "en"
    return region_name(code, str(language))


@pass_context
def _language_name(context: Context, code: str) -> str:
    """`{{ language_name("de") }}`: a language by its name in the page's language."""
    return language_name(code, str(context.get("lang") or "en"))


def configure_environment(engine: JinjaTemplateEngine) -> None:
    """gettext in templates (`{% trans %}`, `_()`), newstyle so `%(name)s` is filled safely;
    whitespace trimmed so the pages stay small on a slow phone connection; region names."""
    environment = engine.engine
    environment.add_extension("jinja2.ext.i18n")
    environment.newstyle_gettext = True  # type: ignore[attr-defined]
    environment.trim_blocks = True
    environment.lstrip_blocks = True
    environment.globals["region_name"] = _region_name
    environment.globals["language_name"] = _language_name
