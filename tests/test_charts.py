"""The overview's SVG charts: well-formed, accessible, proportional, escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from bot.web.charts import bar_list, column_chart, nice_ceiling, rate_meter

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def bars(svg: ET.Element) -> list[ET.Element]:
    return [rect for rect in svg.iter(f"{SVG}rect") if rect.get("class") == "bar"]


def assert_accessible(svg: ET.Element, chart_id: str, title: str) -> str:
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == f"{chart_id}-title"
    assert svg.get("aria-describedby") == f"{chart_id}-desc"
    assert svg.find(f"{SVG}title").text == title
    assert svg.find(f"{SVG}title").get("id") == f"{chart_id}-title"
    desc = svg.find(f"{SVG}desc")
    assert desc.get("id") == f"{chart_id}-desc"
    return desc.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 1), (1, 1), (2, 2), (3, 5), (6, 10), (11, 20), (49, 50), (51, 100), (1001, 2000)],
)
def test_nice_ceiling(value, expected):
    assert nice_ceiling(value) == expected


def test_column_chart_bars_are_proportional_and_labelled():
    points = [("2024-05-01", 4), ("2024-05-02", 0), ("2024-05-03", 10)]
    svg = parse(column_chart("per-day", "Conversations per day", points))
    desc = assert_accessible(svg, "per-day", "Conversations per day")
    assert desc == (
        "14 in total over 3 days, from 2024-05-01 to 2024-05-03; highest 10 on 2024-05-03."
    )
    heights = [float(rect.get("height")) for rect in bars(svg)]
    assert len(heights) == 3
    assert heights[1] == 0
    assert heights[0] / heights[2] == pytest.approx(0.4, abs=0.01)
    assert [rect.find(f"{SVG}title").text for rect in bars(svg)] == [
        "2024-05-01: 4", "2024-05-02: 0", "2024-05-03: 10"
    ]
    axis = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "axis"]
    assert "0" in axis and "10" in axis and "2024-05-01" in axis and "2024-05-03" in axis


def test_column_chart_with_many_points_labels_only_a_few():
    points = [(f"d{i}", i % 7) for i in range(90)]
    svg = parse(column_chart("c", "t", points))
    assert len(bars(svg)) == 90
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "axis"
              and t.text.startswith("d")]
    assert labels[0] == "d0" and labels[-1] == "d89" and len(labels) <= 6
    for rect in bars(svg):
        assert float(rect.get("x")) + float(rect.get("width")) <= 960


def test_all_zero_points_draw_flat_bars():
    svg = parse(column_chart("c", "t", [("a", 0), ("b", 0)]))
    assert [float(rect.get("height")) for rect in bars(svg)] == [0, 0]


@pytest.mark.parametrize("chart", [column_chart, bar_list])
def test_empty_charts_say_so(chart):
    svg = parse(chart("c", "Nothing", []))
    assert assert_accessible(svg, "c", "Nothing") == "No data in this period."
    assert bars(svg) == []


def test_bar_list_keeps_order_and_scales_to_the_largest():
    items = [("work_hardening", 8), ("work_conditioning", 4), ("none", 2)]
    svg = parse(bar_list("outcomes", "Outcomes", items))
    desc = assert_accessible(svg, "outcomes", "Outcomes")
    assert desc == "work_hardening: 8; work_conditioning: 4; none: 2."
    widths = [float(rect.get("width")) for rect in bars(svg)]
    assert widths[0] > widths[1] > widths[2]
    assert widths[1] / widths[0] == pytest.approx(0.5, abs=0.01)
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "label"]
    assert labels == ["work_hardening", "work_conditioning", "none"]


def test_long_labels_are_shortened_but_kept_in_the_tooltip():
    label = "faq/" + "very_long_question_key_" * 3
    svg = parse(bar_list("c", "t", [(label, 1)]))
    shown = next(t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "label")
    assert shown.endswith("…") and len(shown) == 26
    assert bars(svg)[0].find(f"{SVG}title").text == f"{label}: 1"


def test_markup_in_labels_and_titles_is_escaped():
    markup = str(bar_list('x"><script>', "<b>title</b>", [("<script>alert(1)</script>", 1)]))
    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    svg = parse(markup)
    assert svg.find(f"{SVG}title").text == "<b>title</b>"
    assert svg.get("id") == 'x"><script>'


@pytest.mark.parametrize(
    ("rate", "percent", "fraction"),
    [(0.0, "0.0 %", 0), (0.125, "12.5 %", 0.125), (1.0, "100.0 %", 1), (1.7, "100.0 %", 1),
     (-0.2, "0.0 %", 0)],
)
def test_rate_meter(rate, percent, fraction):
    svg = parse(rate_meter("fallback", "Fallback rate", rate))
    assert assert_accessible(svg, "fallback", "Fallback rate") == f"{percent}."
    track = next(r for r in svg.iter(f"{SVG}rect") if r.get("class") == "track")
    assert float(bars(svg)[0].get("width")) == pytest.approx(
        float(track.get("width")) * fraction, abs=0.1
    )
    assert any(t.text == percent for t in svg.iter(f"{SVG}text"))


def test_column_chart_height_is_honoured():
    svg = parse(column_chart("c", "t", [("a", 1), ("b", 2)], height=140))
    assert svg.get("viewBox") == "0 0 960 140"
    tallest = max(float(rect.get("height")) for rect in bars(svg))
    assert tallest == pytest.approx(140 - 16 - 28)
