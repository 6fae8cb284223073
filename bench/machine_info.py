"""One line (or two) about where benchmark figures come from, shared by every bench script."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        return platform.processor() or "unknown cpu"
    return platform.processor() or "unknown cpu"


def memory_gib() -> str:
    try:
        return f"{os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.1f} GiB"
    except (ValueError, OSError):
        return "? GiB"


def describe(*extra: str) -> str:
    """CPU, cores, memory, load, OS and Python, then whatever the bench adds (library versions)."""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    parts = [
        f"machine: {cpu_model()}, {os.cpu_count()} cpus, {memory_gib()} RAM, load {load}",
        f"{platform.system()} {platform.release()}",
        f"python {platform.python_version()}",
        *extra,
    ]
    return ", ".join(parts)
