"""Coordinates for the quality page's server-drawn SVG charts (no script needed).

Only geometry: the template draws the lines, dots and bars, with classes for the styles and
a ``<title>`` plus a table beside each chart for the numbers.
"""

WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 36, 28, 10, 30  # room for half a month label each side
TICKS = (0, 50, 100)
BAR_HEIGHT, BAR_GAP, BAR_LEFT = 18, 10, 140


def x_of(index: int, count: int) -> float:
    """Where the ``index``-th of ``count`` months sits across the plot."""
    span = WIDTH - LEFT - RIGHT
    return round(LEFT + (span * index / (count - 1) if count > 1 else span / 2), 1)


def y_of(percent: float) -> float:
    """Where a percent (0-100) sits up the plot."""
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - percent / 100), 1)


def segments(values: list) -> list[str]:
    """The runs of consecutive known values as SVG ``points`` strings (gaps stay gaps)."""
    runs, current = [], []
    for index, value in enumerate(values):
        if value is None:
            runs, current = runs + ([current] if current else []), []
            continue
        current.append(f"{x_of(index, len(values))},{y_of(value)}")
    return [" ".join(run) for run in runs + ([current] if current else [])]


def line_chart(months: list[str], series: dict[str, list]) -> dict:
    """A line chart of percents by month: per series its segments and dots, the axes' marks."""
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "ticks": [(y_of(t), t) for t in TICKS],
        "months": [(x_of(i, len(months)), month) for i, month in enumerate(months)],
        "series": {key: {"segments": segments(values),
                         "dots": [(x_of(i, len(values)), y_of(v), v)
                                  for i, v in enumerate(values) if v is not None]}
                   for key, values in series.items()},
    }


def bar_chart(rows: list[tuple[str, float | None]]) -> dict:
    """Horizontal bars of shares (0-1), one per row label; an unknown share draws no bar."""
    span = WIDTH - BAR_LEFT - RIGHT
    bars = [{"label": label, "y": i * (BAR_HEIGHT + BAR_GAP), "share": share,
             "width": round(span * (share or 0), 1)} for i, (label, share) in enumerate(rows)]
    return {"width": WIDTH, "height": max(1, len(rows)) * (BAR_HEIGHT + BAR_GAP),
            "left": BAR_LEFT, "bar_height": BAR_HEIGHT, "span": span, "bars": bars}


def fidelity_chart(months: list[str], by_month: dict) -> dict:
    """Monthly fidelity, own record against supervisor's review, over the programme's months
    (``by_month``: month -> ``quality.Figures``; a month without one is a gap)."""
    found = [by_month.get(month) for month in months]
    return line_chart(months, {
        "self": [f.self_percent if f else None for f in found],
        "review": [f.review_percent if f else None for f in found]})
