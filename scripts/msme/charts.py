"""Accessible SVG pictures of the programme: a tile-grid map of exchanges and bar charts.

Each SVG has a <title> and <desc>; pages show the same numbers in a table beside it. Every
text that reaches the SVG is escaped here.
"""

from __future__ import annotations

import math
from html import escape

# Tile-grid map of the programme's countries (column, row): each country one square.
TILES: dict[str, tuple[int, int]] = {
    "IS": (0, 0),
    "NO": (4, 0),
    "SE": (5, 0),
    "FI": (6, 0),
    "IE": (1, 1),
    "GB": (2, 1),
    "DK": (4, 1),
    "EE": (6, 1),
    "NL": (3, 2),
    "DE": (4, 2),
    "PL": (5, 2),
    "LV": (6, 2),
    "BE": (3, 3),
    "LU": (4, 3),
    "CZ": (5, 3),
    "LT": (6, 3),
    "FR": (2, 4),
    "AT": (4, 4),
    "SK": (5, 4),
    "HU": (6, 4),
    "RO": (7, 4),
    "PT": (1, 5),
    "ES": (2, 5),
    "IT": (4, 5),
    "SI": (5, 5),
    "HR": (6, 5),
    "RS": (7, 5),
    "BG": (8, 5),
    "MT": (4, 6),
    "ME": (6, 6),
    "MK": (7, 6),
    "TR": (8, 6),
    "AL": (6, 7),
    "GR": (7, 7),
    "CY": (8, 7),
}
TILE, GAP, PAD = 56, 6, 12
BLUE, YELLOW, GREY, INK = "#003399", "#ffcc00", "#e4e8f0", "#1b1f24"


def _open(width: int, height: int, *, svg_id: str, title: str, desc: str, cls: str) -> str:
    """An <svg> start tag that screen readers announce by its title and description."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{svg_id}-title {svg_id}-desc" class="msme-chart {cls}">'
        f'<title id="{svg_id}-title">{escape(title)}</title><desc id="{svg_id}-desc">{escape(desc)}</desc>'
    )


def _centre(code: str) -> tuple[float, float]:
    col, row = TILES[code]
    return PAD + col * (TILE + GAP) + TILE / 2, PAD + row * (TILE + GAP) + TILE / 2


def exchange_map(
    exchanges: list[tuple[str, str, int]], names: dict[str, str], title: str, desc: str, svg_id: str = "msme-map"
) -> str:
    """Squares for countries (filled where a story starts or ends), arrows sending → host with counts."""
    active = {c for s, h, _ in exchanges for c in (s, h)}
    width = PAD * 2 + 9 * (TILE + GAP)
    height = PAD * 2 + 8 * (TILE + GAP)
    arrow = (
        '<defs><marker id="msme-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="12" '
        'markerHeight="12" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{INK}"/></marker></defs>'
    )
    parts = [_open(width, height, svg_id=svg_id, title=title, desc=desc, cls="msme-map"), arrow]
    for code, (col, row) in TILES.items():
        x, y = PAD + col * (TILE + GAP), PAD + row * (TILE + GAP)
        fill, ink = (BLUE, "#ffffff") if code in active else (GREY, INK)
        parts.append(
            f"<g><title>{escape(names.get(code, code))}</title>"
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="6" fill="{fill}"/>'
            f'<text x="{x + TILE / 2}" y="{y + TILE / 2 + 6}" text-anchor="middle" font-size="17" '
            f'font-family="sans-serif" font-weight="700" fill="{ink}">{escape(code)}</text></g>'
        )
    top = max((n for *_, n in exchanges), default=1)
    for sending, host, count in exchanges:
        if sending not in TILES or host not in TILES:
            continue
        (x1, y1), (x2, y2) = _centre(sending), _centre(host)
        length = math.hypot(x2 - x1, y2 - y1) or 1
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        # Start and end at the tile edges; bend to the right so A→B and B→A do not overlap.
        sx, sy, ex, ey = x1 + ux * 22, y1 + uy * 22, x2 - ux * 24, y2 - uy * 24
        bend = min(24.0, length * 0.2)
        mx, my = (sx + ex) / 2 - uy * bend, (sy + ey) / 2 + ux * bend
        stroke = 2 + 4 * count / top
        lx, ly = (sx + ex) / 4 + mx / 2, (sy + ey) / 4 + my / 2  # the curve's midpoint, for the count
        label = f"{names.get(sending, sending)} → {names.get(host, host)}: {count}"
        parts.append(
            f"<g><title>{escape(label)}</title>"
            f'<path d="M{sx:.1f},{sy:.1f} Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}" fill="none" stroke="{YELLOW}" '
            f'stroke-width="{stroke + 3:.1f}" stroke-linecap="round"/>'
            f'<path d="M{sx:.1f},{sy:.1f} Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}" fill="none" stroke="{INK}" '
            f'stroke-width="{stroke:.1f}" marker-end="url(#msme-arrow)"/>'
            f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="10" fill="#ffffff" stroke="{INK}"/>'
            f'<text x="{lx:.1f}" y="{ly + 4.5:.1f}" text-anchor="middle" font-size="13" font-family="sans-serif" '
            f'fill="{INK}">{count}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(rows: list[tuple[str, int]], title: str, desc: str, svg_id: str) -> str:
    """Horizontal bars, one per (label, value), largest first as given."""
    label_w, bar_w, row_h = 260, 320, 30
    top = max((v for _, v in rows), default=1) or 1
    height = PAD * 2 + row_h * max(1, len(rows))
    width = label_w + bar_w + 60
    parts = [_open(width, height, svg_id=svg_id, title=title, desc=desc, cls="msme-bars")]
    for i, (label, value) in enumerate(rows):
        y = PAD + i * row_h
        w = max(2, bar_w * value / top)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 20}" text-anchor="end" font-size="14" font-family="sans-serif" '
            f'fill="{INK}">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 5}" width="{w:.1f}" height="{row_h - 10}" fill="{BLUE}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 20}" font-size="14" font-family="sans-serif" '
            f'fill="{INK}">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
