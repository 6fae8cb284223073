"""ApplicationCore: the one plugin that wires Onward, one `_configure_*` helper per concern."""

from __future__ import annotations

import logging
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig, SQLAlchemyPlugin
from click import Group
from litestar import Router
from litestar.config.allowed_hosts import AllowedHostsConfig
from litestar.config.app import AppConfig
from litestar.config.cors import CORSConfig
from litestar.connection import Request
from litestar.di import Provide
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.plugins import CLIPluginProtocol, InitPluginProtocol
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from service.db.config import build_alchemy_config
from service.domain.accounts.auth import AuthMiddleware
from service.domain.survivors.accounts import SurvivorAccountLinks
from service.errors import EXCEPTION_HANDLERS
from service.headers import add_security_headers
from service.kernel.actor import Actor
from service.kernel.guards import access_guard
from service.kernel.roles import PUBLIC
from service.logs import drop_query_strings_from_access_log
from service.settings import PROJECT_ROOT, Settings, get_settings

TEMPLATES_DIR = PROJECT_ROOT / "service" / "templates"
STATIC_DIR = PROJECT_ROOT / "service" / "static"


def _provide_actor(request: Request) -> Actor:
    actor = request.scope.get("user")
    if not isinstance(actor, Actor):
        raise NotAuthorizedException(detail="authentication required")
    return actor


class ApplicationCore(InitPluginProtocol, CLIPluginProtocol):
    """Routes, database, auth, security headers, errors and the CLI, from one place."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self.alchemy: SQLAlchemyAsyncConfig = build_alchemy_config(self.settings.db)

    def on_cli_init(self, cli: Group) -> None:
        from service.cli import register_commands

        register_commands(cli)

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        logging.getLogger("onward").setLevel(self.settings.app.log_level)
        # APScheduler logs every tick at INFO; only its warnings (missed runs, errors) matter.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        drop_query_strings_from_access_log()
        app_config.debug = self.settings.app.debug
        self._configure_database(app_config)
        self._configure_routes(app_config)
        self._configure_templates(app_config)
        self._configure_dependencies(app_config)
        self._configure_security(app_config)
        self._configure_openapi(app_config)
        self._configure_errors(app_config)
        self._configure_lifespan(app_config)
        return app_config

    def _configure_database(self, app_config: AppConfig) -> None:
        app_config.plugins.append(SQLAlchemyPlugin(config=self.alchemy))
        app_config.state.update({"settings": self.settings, "alchemy": self.alchemy})
        app_config.on_shutdown.append(self._close_database)

    async def _close_database(self) -> None:
        """Close the pooled connections at shutdown. advanced-alchemy's lifespan means to, but it
        looks the engine up under its dependency key ("db_engine") while the state holds it under
        the state key, which gets a suffix ("db_engine_1") for every config after a process's
        first: there its connections outlived the app and its event loop. Disposing twice is
        harmless."""
        await self.alchemy.get_engine().dispose()

    def _configure_routes(self, app_config: AppConfig) -> None:
        from service.routes import page_modules, route_handlers
        from service.web import navigation

        app_config.state.update({navigation.STATE_KEY: navigation.collect(page_modules())})
        # The body limit is set on a router because Litestar reads the app-level limit from
        # its constructor argument, not from a plugin's AppConfig.
        app_config.route_handlers.append(
            Router(path="/", route_handlers=route_handlers(), request_max_body_size=self.settings.app.max_body_bytes)
        )

    def _configure_templates(self, app_config: AppConfig) -> None:
        from service.web.templating import configure_environment

        # Pages: Jinja templates with gettext (translations are passed per render, see
        # service/web/i18n.py) and our own static files, public like the login page.
        app_config.template_config = TemplateConfig(
            directory=TEMPLATES_DIR, engine=JinjaTemplateEngine, engine_callback=configure_environment
        )
        app_config.route_handlers.append(
            create_static_files_router(
                path="/static", directories=[STATIC_DIR], opt=PUBLIC, include_in_schema=False, name="static"
            )
        )

    def _configure_dependencies(self, app_config: AppConfig) -> None:
        settings, alchemy = self.settings, self.alchemy
        dependencies: dict[str, Any] = {
            "actor": Provide(_provide_actor, sync_to_thread=False),
            "settings": Provide(lambda: settings, sync_to_thread=False, use_cache=True),
            "alchemy": Provide(lambda: alchemy, sync_to_thread=False, use_cache=True),
            # accounts finds her record through the survivors area without importing it.
            "survivor_links": Provide(SurvivorAccountLinks, sync_to_thread=False, use_cache=True),
        }
        app_config.dependencies.update(dependencies)

    def _configure_security(self, app_config: AppConfig) -> None:
        security = self.settings.security
        app_config.guards.append(access_guard)
        # A before_send hook, not a middleware: it also covers responses produced before any
        # route matched (unknown paths, bad methods).
        app_config.before_send.append(add_security_headers)
        app_config.middleware.append(DefineMiddleware(AuthMiddleware, alchemy=self.alchemy, security=security))
        app_config.allowed_hosts = AllowedHostsConfig(allowed_hosts=security.allowed_hosts)
        app_config.cors_config = CORSConfig(
            allow_origins=security.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-CSRF-Token"],
            allow_credentials=False,
        )

    def _configure_openapi(self, app_config: AppConfig) -> None:
        if not self.settings.app.openapi_enabled:
            app_config.openapi_config = None
            return
        # JSON only: the interactive renderers load scripts from third-party hosts, which
        # our CSP forbids.
        app_config.openapi_config = OpenAPIConfig(
            title="Onward API",
            version="0.1.0",
            path="/schema",
            render_plugins=[JsonRenderPlugin()],
            use_handler_docstrings=True,
        )
        from service.openapi import complete_schema

        app_config.on_startup.append(complete_schema)

    def _configure_errors(self, app_config: AppConfig) -> None:
        app_config.exception_handlers.update(EXCEPTION_HANDLERS)  # type: ignore[arg-type]

    def _configure_lifespan(self, app_config: AppConfig) -> None:
        if self.settings.app.warm_matches:
            from service.domain.matches.warm_up import start_warm_up, stop_warm_up

            # the matching index is built before readiness says ok (no cold first request)
            app_config.on_startup.append(start_warm_up)
            app_config.on_shutdown.insert(0, stop_warm_up)
        if self.settings.app.embedded_worker:
            from service.worker import embedded_lifespan

            app_config.lifespan.append(embedded_lifespan(self.settings, self.alchemy))
