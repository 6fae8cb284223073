"""The Jinja environment the pages are rendered with."""

from __future__ import annotations

from litestar.plugins.jinja import JinjaTemplateEngine


def configure_environment(engine: JinjaTemplateEngine) -> None:
    """gettext in templates (`{% trans %}`, `_()`), newstyle so `%(name)s` is filled safely;
    whitespace trimmed so the pages stay small on a slow phone connection."""
    environment = engine.engine
    environment.add_extension("jinja2.ext.i18n")
    environment.newstyle_gettext = True  # type: ignore[attr-defined]
    environment.trim_blocks = True
    environment.lstrip_blocks = True
