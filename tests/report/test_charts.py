"""The inline SVG charts: well-formed, and saying the numbers they draw."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections import Counter

from carecheck.report.charts import latency_histogram, outcome_bars, percentile

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def test_outcomes_by_area_draw_a_segment_per_outcome_with_its_count() -> None:
    svg = parsed(outcome_bars([("patient", Counter(passed=40, failed=2)), ("clinical", Counter({"passed": 10, "not-applicable": 3}))]))
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert titles == ["patient: 40 passed", "patient: 2 failed", "clinical: 10 passed", "clinical: 3 not-applicable"]


def test_response_times_fall_into_buckets_with_median_and_95th_percentile() -> None:
    svg = parsed(latency_histogram([1.0, 2.0, 3.0, 7.0, 120.0, 6000.0]))
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert "<5 ms: 3 exchange(s)" in titles and "5–10 ms: 1 exchange(s)" in titles and "≥5s ms: 1 exchange(s)" in titles
    text = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
    assert "6 exchanges · median 5.0 ms · 95th percentile 6000.0 ms" in text
    assert percentile([], 0.5) == 0.0 and percentile([3.0, 1.0, 2.0], 0.5) == 2.0
