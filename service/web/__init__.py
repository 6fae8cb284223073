"""Server-rendered pages (Jinja + HTMX) for every audience, over the same services and guards
as the JSON API. Each area of pages is a module `service/web/<area>_pages.py` declaring
``CONTROLLERS`` and, optionally, ``NAV`` (its header links); `service/routes.py` lists the
page modules explicitly beside the API controllers.
"""
