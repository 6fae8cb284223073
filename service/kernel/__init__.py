"""What every area of the service shares, and nothing else.

The actor and the clock, role sets, route guards, the audit writer, the request-body base and
the dependency markers. Nothing in here imports a domain area, messaging or the pages; the
import contract in ``pyproject.toml`` keeps it so.
"""
