"""Server-drawn SVG charts (binakarya.core.plots): what a dashboard panel shows beside its table."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from binakarya.core import plots
from binakarya.core.exports import Column, Table

SVG = "{http://www.w3.org/2000/svg}"


def _months() -> Table:
    return Table(
        "Sales by month",
        [Column("Month"), Column("Point of sale", rupiah=True), Column("Web order", rupiah=True)],
        [["Jan", 1_200_000, 300_000], ["Feb", 800_000, 0], ["Mar", 2_500_000, 1_250_000]],
    )


def _parse(chart: plots.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def test_stacked_months_draw_one_bar_per_figure_with_its_exact_value():
    # given three months of two channels
    with translation.override("id"):
        # when
        chart = plots.chart(_months(), "stacked")

    # then the SVG is well formed and each bar says its exact amount
    assert chart is not None
    root = _parse(chart)
    titles = [r.find(f"{SVG}title").text for r in root.iter(f"{SVG}rect")]
    assert "Jan · Point of sale: Rp1.200.000" in titles
    assert "Mar · Web order: Rp1.250.000" in titles
    assert len(titles) == 6
    assert root.get("viewBox").startswith("0 0 360 ")
    assert chart.legend == (("#0072B2", "Point of sale"), ("#E69F00", "Web order"))


def test_stacked_bars_stand_on_each_other_and_scale_to_the_tallest_month():
    # when
    root = _parse(plots.chart(_months(), "stacked"))

    # then March's two bars stack: the web bar sits on top of the point-of-sale bar
    rects = {r.find(f"{SVG}title").text.split(":")[0]: r for r in root.iter(f"{SVG}rect")}
    pos, web = rects["Mar · Point of sale"], rects["Mar · Web order"]
    assert float(web.get("y")) + float(web.get("height")) == pytest.approx(float(pos.get("y")), abs=0.11)
    assert float(pos.get("x")) == float(web.get("x"))
    # and February (smaller) is shorter than March's first bar
    assert float(rects["Feb · Point of sale"].get("height")) < float(pos.get("height"))


def test_long_labels_lie_as_horizontal_bars_under_their_full_name():
    # given facilities side by side
    table = Table(
        "Sales",
        [Column("Facility"), Column("Sales", rupiah=True)],
        [["Rutan Kelas IIB Sumenep", 12_500_000], ["Lapas Kelas IIA Banyuwangi", 7_000_000]],
    )

    # when
    root = _parse(plots.chart(table))

    # then each name is written in full and the longer bar belongs to the larger figure
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Rutan Kelas IIB Sumenep" in texts and "Lapas Kelas IIA Banyuwangi" in texts
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths[0] > widths[1] > 0
    assert widths[1] / widths[0] == pytest.approx(7 / 12.5, rel=0.01)


def test_a_line_chart_draws_one_line_per_series():
    # when
    root = _parse(plots.chart(_months(), "line"))

    # then
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 2
    assert len(lines[0].get("points").split()) == 3
    assert len(list(root.iter(f"{SVG}circle"))) == 6


def test_labels_are_escaped():
    # given a label someone typed with markup in it
    table = Table("t", [Column("Group"), Column("Units")], [['<script>alert("x")</script>', 3]])

    # when
    svg = str(plots.chart(table).svg)

    # then it is text, not markup
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_nothing_to_draw_gives_no_chart():
    assert plots.chart(Table("t", [Column("Month"), Column("Sales", rupiah=True)], [])) is None
    assert plots.chart(Table("t", [Column("Month"), Column("Sales")], [["Jan", 0]])) is None
    assert plots.chart(Table("t", [Column("Month")], [["Jan"]])) is None


@pytest.mark.parametrize(
    ("language", "value", "rupiah", "expected"),
    [
        ("id", 1_250_000, True, "Rp1,2 jt"),
        ("en", 1_250_000, True, "Rp1.2M"),
        ("id", 350_000, False, "350 rb"),
        ("en", 2_500_000_000, False, "2.5B"),
        ("id", 12_500_000, True, "Rp13 jt"),
        ("id", 999, False, "999"),
        ("id", -2_000_000, True, "-Rp2 jt"),
    ],
)
def test_axis_figures_are_short_in_the_readers_language(language, value, rupiah, expected):
    with translation.override(language):
        assert plots.compact(value, rupiah=rupiah) == expected


def test_a_month_with_more_returned_than_sold_goes_below_the_zero_line():
    # given a month whose returns exceed its sales
    table = Table(
        "Sales by month",
        [Column("Month"), Column("Point of sale", rupiah=True)],
        [["Jan", 1_000_000], ["Feb", -250_000]],
    )

    # when
    root = _parse(plots.chart(table))

    # then the axis reaches below zero and February's bar hangs under the zero line
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text.startswith(("Rp", "-Rp"))]
    assert any(t.startswith("-Rp") for t in ticks)
    zero = next(line for line in root.iter(f"{SVG}line") if line.get("stroke") == "#888888")
    rects = {r.find(f"{SVG}title").text.split(":")[0]: r for r in root.iter(f"{SVG}rect")}
    jan, feb = rects["Jan · Point of sale"], rects["Feb · Point of sale"]
    assert float(jan.get("y")) + float(jan.get("height")) == pytest.approx(float(zero.get("y1")), abs=0.11)
    assert float(feb.get("y")) == pytest.approx(float(zero.get("y1")), abs=0.11)
    assert float(feb.get("height")) == pytest.approx(float(jan.get("height")) / 4, rel=0.02)
    # and a line chart of it draws the point below zero too
    points = next(iter(_parse(plots.chart(table, "line")).iter(f"{SVG}polyline"))).get("points").split()
    assert float(points[1].split(",")[1]) > float(zero.get("y1"))
