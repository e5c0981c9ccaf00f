"""Chart geometry for the SVG the templates draw: no JavaScript, no chart library.

The page's CSP allows no inline script or style, and WeasyPrint draws inline
SVG, so one template serves the dashboard and the board report. Sizes are in
the SVG's own units; CSS scales the whole drawing to the column's width, so a
viewBox about as wide as a phone keeps the text readable at 375 px.
"""

import math

# Short labels: the chart's width holds these, the policy's full wording would not fit.
SHORT_ACTION_LABELS = {
    "meeting": "Meeting with a senior member of staff",
    "warning": "Warning letter",
    "authorities": "Authorities contacted",
    "legal": "Trust's legal team consulted",
    "ban": "Site ban",
    "report_post": "Social media post reported",
    "nfa": "No further action",
}

WIDTH = 420
FONT = 13


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten at or above `value` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _ticks(top: int) -> list[int]:
    """Gridlines at a round step: no more than five intervals up to `top` (itself a nice ceiling)."""
    step = 1
    while top / step > 5:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if top / step <= 5:
                break
    return list(range(0, top + 1, step))


def stacked_columns(months: list, series: list) -> dict:
    """Monthly columns, one stack of categories each.

    months: [{"start": date, "total": int}], series: [{"label", "colour", "counts": [int per month]}]."""
    left, right, top, bottom = 34, 6, 10, 40
    height = 250
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    slot = plot_w / max(len(months), 1)
    bar_w = slot * 0.64
    # The columns are as tall as the month's incidents; a case in two categories adds to both, so scale by stacks.
    stack_heights = [sum(s["counts"][i] for s in series) for i in range(len(months))]
    y_max = nice_ceiling(max(stack_heights, default=0))
    scale = plot_h / y_max
    columns = []
    for i, month in enumerate(months):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        segments = []
        for s in series:
            n = s["counts"][i]
            if not n:
                continue
            h = n * scale
            y -= h
            segments.append({"x": round(x, 1), "y": round(y, 1), "w": round(bar_w, 1), "h": round(h, 1),
                             "colour": s["colour"], "title": f"{s['label']}: {n}"})
        label_year = i == 0 or month["start"].month == 1
        columns.append({"segments": segments, "label_x": round(left + i * slot + slot / 2, 1),
                        "month": month["start"], "year": label_year, "total": month["total"],
                        "total_y": round(y - 3, 1)})
    grid = [{"value": t, "y": round(top + plot_h - t * scale, 1)} for t in _ticks(y_max)]
    return {"width": WIDTH, "height": height, "left": left, "right": WIDTH - right, "baseline": top + plot_h,
            "columns": columns, "grid": grid, "font": FONT, "label_y": top + plot_h + 16,
            "year_y": top + plot_h + 31}


def horizontal_bars(rows: list, colour: str = "#1d5a9b") -> dict:
    """One bar a row, its label above it and its value at its end. rows: [{"label", "count"}]."""
    left, right = 4, 44
    row_h, bar_h = 40, 14
    top = 4
    x_max = max((r["count"] for r in rows), default=0) or 1
    plot_w = WIDTH - left - right
    bars = []
    for i, row in enumerate(rows):
        y = top + i * row_h
        w = row["count"] / x_max * plot_w
        bars.append({"label": row["label"], "count": row["count"], "label_y": y + FONT + 2,
                     "bar_y": y + FONT + 8, "w": round(w, 1), "value_x": round(left + w + 6, 1),
                     "value_y": y + FONT + 8 + bar_h - 2})
    return {"width": WIDTH, "height": top + len(rows) * row_h + 4, "left": left, "bar_h": bar_h, "bars": bars,
            "colour": colour, "font": FONT}
