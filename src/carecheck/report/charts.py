"""Inline SVG charts for the HTML report: scenario outcomes by area, and the distribution of response times.

Plain SVG text with `<title>` tooltips: no script, no external asset, readable when printed.
"""

from __future__ import annotations

import html
import statistics
from collections.abc import Mapping, Sequence

__all__ = ["LATENCY_BUCKETS_MS", "OUTCOME_COLOURS", "latency_histogram", "outcome_bars", "percentile"]

OUTCOME_COLOURS: Mapping[str, str] = {
    "passed": "#2e7d32",
    "failed": "#c62828",
    "error": "#ef6c00",
    "waived": "#6a1b9a",
    "inconclusive": "#f9a825",
    "not-applicable": "#90a4ae",
    "skipped": "#cfd8dc",
}
LATENCY_BUCKETS_MS = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000)
"""Upper bounds of the response-time buckets; a last bucket holds anything slower."""

_WIDTH = 600
_LABEL = 110
_ROW = 24


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def outcome_bars(groups: Sequence[tuple[str, Mapping[str, int]]]) -> str:
    """One horizontal bar per group (an area), split by outcome, with the counts as tooltips."""
    widest = max((sum(counts.values()) for _, counts in groups), default=0) or 1
    scale = (_WIDTH - _LABEL - 60) / widest
    height = _ROW * len(groups) + 30
    parts = [f'<svg class="chart" role="img" aria-label="Scenario outcomes by area" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}">']
    for row, (label, counts) in enumerate(groups):
        y = row * _ROW + 4
        parts.append(f'<text x="{_LABEL - 8}" y="{y + 15}" text-anchor="end">{_e(label)}</text>')
        x = float(_LABEL)
        for outcome, colour in OUTCOME_COLOURS.items():
            count = counts.get(outcome, 0)
            if count:
                width = count * scale
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{_ROW - 6}" fill="{colour}"><title>{_e(label)}: {count} {outcome}</title></rect>'
                )
                x += width
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{sum(counts.values())}</text>')
    legend_y = len(groups) * _ROW + 20
    x = float(_LABEL)
    for outcome, colour in OUTCOME_COLOURS.items():
        parts.append(f'<rect x="{x:.0f}" y="{legend_y - 10}" width="10" height="10" fill="{colour}"/><text x="{x + 14:.0f}" y="{legend_y}">{outcome}</text>')
        x += 14 + 6.5 * len(outcome) + 14
    parts.append("</svg>")
    return "".join(parts)


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank); 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _bucket_label(index: int) -> str:
    def unit(ms: int) -> str:
        return f"{ms // 1000}s" if ms >= 1000 and ms % 1000 == 0 else f"{ms / 1000:g}s" if ms >= 1000 else f"{ms}"

    if index == 0:
        return f"<{unit(LATENCY_BUCKETS_MS[0])}"
    if index == len(LATENCY_BUCKETS_MS):
        return f"≥{unit(LATENCY_BUCKETS_MS[-1])}"
    return f"{unit(LATENCY_BUCKETS_MS[index - 1])}–{unit(LATENCY_BUCKETS_MS[index])}"


def latency_histogram(values_ms: Sequence[float]) -> str:
    """A column per response-time bucket (milliseconds), with the median and 95th percentile noted."""
    counts = [0] * (len(LATENCY_BUCKETS_MS) + 1)
    for value in values_ms:
        counts[next((i for i, bound in enumerate(LATENCY_BUCKETS_MS) if value < bound), len(LATENCY_BUCKETS_MS))] += 1
    tallest = max(counts) or 1
    plot = 150
    top = 16
    column = (_WIDTH - 40) / len(counts)
    height = plot + top + 56
    parts = [f'<svg class="chart" role="img" aria-label="Response time distribution" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}">']
    for index, count in enumerate(counts):
        bar = count / tallest * plot
        x = 20 + index * column
        label = _bucket_label(index)
        parts.append(
            f'<rect x="{x + 3:.1f}" y="{top + plot - bar:.1f}" width="{column - 6:.1f}" height="{bar:.1f}" fill="#1565c0">'
            f"<title>{_e(label)} ms: {count} exchange(s)</title></rect>"
        )
        if count:
            parts.append(f'<text x="{x + column / 2:.1f}" y="{top + plot - bar - 4:.1f}" text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{x + column / 2:.1f}" y="{top + plot + 16}" text-anchor="middle">{_e(label)}</text>')
    median = statistics.median(values_ms) if values_ms else 0.0
    note = (
        f"{len(values_ms)} exchanges · median {median:.1f} ms · 95th percentile {percentile(values_ms, 0.95):.1f} ms · max {max(values_ms, default=0):.1f} ms"
    )
    parts.append(f'<text x="20" y="{top + plot + 42}">{_e(note)} (buckets in ms)</text></svg>')
    return "".join(parts)
