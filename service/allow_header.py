"""OPTIONS answers name every method of a path.

Litestar builds an automatic OPTIONS handler per route; when a second group of handlers joins
an existing path (GET and PATCH on `/api/survivors/{id}`, registered one after the other), the
merged route keeps the first route's OPTIONS handler, which reads the methods of that first,
discarded route ("GET, OPTIONS"). At start-up each such handler is pointed at the methods of
the route that actually serves the path.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.routes import HTTPRoute


def refresh_allow_headers(app: Litestar) -> None:
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or "OPTIONS" not in route.route_handler_map:
            continue
        handler = route.route_handler_map["OPTIONS"][0]
        fn = getattr(handler, "fn", None)
        if getattr(fn, "__name__", "") != "options_handler":
            continue  # an OPTIONS handler of our own, not the automatic one
        for cell in getattr(fn, "__closure__", None) or ():
            stale = cell.cell_contents
            if isinstance(stale, HTTPRoute) and stale is not route:
                stale.methods = route.methods
