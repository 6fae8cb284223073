"""Simple horizontal bar charts as standalone SVG, drawn from already-suppressed tables.

No script, no external font or stylesheet (the CSP allows no third-party source), labels
escaped. A suppressed value is drawn as an empty bar with the word "suppressed", never as 0.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 220
BAR_WIDTH = 360
MARGIN = 12


def bar_chart(title: str, labels: list[str], values: list[int | None], suppressed: str = "suppressed") -> str:
    """An SVG document with one bar per label; `None` values are marked `suppressed` (a page
    passes the word in its reader's language)."""
    top = MARGIN + 24
    height = top + len(labels) * (BAR_HEIGHT + GAP) + MARGIN
    width = MARGIN * 2 + LABEL_WIDTH + BAR_WIDTH + 90
    largest = max([value for value in values if value is not None] or [1]) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}" '
        'font-family="sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<text x="{MARGIN}" y="{MARGIN + 12}" font-weight="bold">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + index * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT - 6
        parts.append(f'<text x="{MARGIN}" y="{text_y}">{escape(label[:32])}</text>')
        x = MARGIN + LABEL_WIDTH
        if value is None:
            parts.append(
                f'<rect x="{x}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" fill="none" '
                'stroke="#888" stroke-dasharray="4 3"/>'
            )
            parts.append(f'<text x="{x + 8}" y="{text_y}" fill="#555">{escape(suppressed)}</text>')
            continue
        bar = round(BAR_WIDTH * value / largest)
        parts.append(f'<rect x="{x}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" fill="#2b6cb0"/>')
        parts.append(f'<text x="{x + bar + 6}" y="{text_y}">{value}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
