"""{% work_item %}: a home-page row written in Python escapes every value as the template did."""

from datetime import datetime, timezone

from django.template import Context, Template
from django.utils.safestring import mark_safe

ROW = Template("{% load work_items %}{% work_item item %}")


def _render(**item):
    return ROW.render(Context({"item": item}))


def test_every_value_is_escaped():
    html = _render(url="/incidents/1/?a=1&b=2", title="<b>ASP-1</b>", subjects="Pat O'Brien & \"Sam\"",
                   stage="proposed", stage_label="Response <proposed>", school="St <Mary's>", note="<i>due</i>",
                   next_step="Decide <now>", next_url="/decide/?x=1&y=2", overdue=True, overdue_label="Late <3 days>")
    for raw in ("<b>ASP-1</b>", "O'Brien", "<proposed>", "<Mary's>", "<i>due", "<now>", "<3 days>", "&b=2", "&y=2"):
        assert raw not in html
    for escaped in ("&lt;b&gt;ASP-1&lt;/b&gt;", "Pat O&#x27;Brien &amp; &quot;Sam&quot;", "Response &lt;proposed&gt;",
                    "St &lt;Mary&#x27;s&gt;", "&lt;i&gt;due&lt;/i&gt; · ", "Next: Decide &lt;now&gt;",
                    "Late &lt;3 days&gt;", 'href="/incidents/1/?a=1&amp;b=2"', 'href="/decide/?x=1&amp;y=2"'):
        assert escaped in html


def test_markup_already_made_safe_is_kept():
    assert "<em>Soon</em>" in _render(title="ASP-2", url="/", note=mark_safe("<em>Soon</em>"))


def test_a_row_says_what_it_has_and_nothing_it_has_not():
    html = _render(url="/incidents/7/", title="ASP-7", school="All Saints", stage="", overdue=False, next_step="",
                   since=datetime(2026, 11, 24, 23, 30, tzinfo=timezone.utc))
    assert 'class="list-group-item worklist-item"' in html
    assert "stage-badge" not in html and "Next:" not in html and "text-danger" not in html and "<span>" not in html
    # In the school's time zone (London), as the template's date filter wrote it.
    assert html.count("All Saints · in this stage since 24 Nov 2026") == 1


def test_an_overdue_row_without_a_label_says_overdue_and_links_its_next_step():
    html = _render(url="/incidents/8/", title="ASP-8", overdue=True, next_step="Sign off", next_url="/consult/8/",
                   stage="awaiting_chair", stage_label="Awaiting the Chair", subjects="Craig Hollis",
                   note="ban proposed")
    assert 'worklist-item overdue"' in html
    assert '<strong class="text-danger">Overdue</strong>' in html
    assert ('<a class="fw-semibold" href="/consult/8/">Next: Sign off<span class="visually-hidden"> (ASP-8)</span></a>'
            in html)
    assert '<span class="badge stage-badge stage-awaiting_chair">Awaiting the Chair</span>' in html
    assert "<span>Craig Hollis</span>" in html and "Ban proposed · " in html
