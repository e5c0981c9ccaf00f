"""{% work_item item %}: one row of a home-page work list (conduct.views builds the items).

Written in Python rather than as template markup or format_html: the head's page draws some ninety
rows, and either way each row cost about fifty microseconds, a seventh of that page's time (bench/).
Every value is escaped here as the template escaped it (conditional_escape's rule, without its cost).
"""

from html import escape

from django import template
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import capfirst
from django.utils.timezone import template_localtime

from conduct.dates import page_date
from incidents.templatetags.stages import stage_badge

register = template.Library()


def _text(value) -> str:
    """The value escaped for HTML, unless it is already safe markup."""
    if value is None:
        return ""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


@register.simple_tag
def work_item(item):
    get = item.get
    title = _text(get("title"))
    subjects = f"\n        <span>{_text(item['subjects'])}</span>" if get("subjects") else ""
    badge = f"\n        {stage_badge(item['stage'], get('stage_label', ''))}" if get("stage") else ""
    # Escaped, then capitalised: the first character of an entity (&) has no capital, so this is |capfirst's text.
    note = f"{capfirst(_text(item['note']))} · " if get("note") else ""
    since = f" · in this stage since {page_date(template_localtime(item['since']))}" if get("since") else ""
    # Every piece above and below is escaped by _text or is a constant.
    return mark_safe(  # nosec B308 B703
        f'<li class="list-group-item worklist-item{" overdue" if get("overdue") else ""}">\n'
        f'      <div class="d-flex flex-wrap align-items-center column-gap-2">\n'
        f'        <a class="fw-semibold text-break" href="{_text(get("url"))}">{title}</a>{subjects}{badge}\n'
        f"      </div>{_next_step(item, title)}\n"
        f'      <div class="small text-muted">{note}{_text(get("school"))}{since}</div>\n'
        f"    </li>"
    )


def _next_step(item, title) -> str:
    """What the case needs next, and how it is overdue: a line under the row's title, or nothing. Escaped."""
    get, overdue = item.get, item.get("overdue")
    if not (get("next_step") or overdue):
        return ""
    late = f'<strong class="text-danger">{_text(get("overdue_label") or "Overdue")}</strong>' if overdue else ""
    step = _text(get("next_step"))
    if get("next_url"):
        step = (f'<a class="fw-semibold" href="{_text(item["next_url"])}">Next: {step}'
                f'<span class="visually-hidden"> ({title})</span></a>')
    elif step:
        step = f'<span class="fw-semibold">Next: {step}</span>'
    return f'\n      <div class="d-flex flex-wrap column-gap-3">{late}{step}</div>'
