"""Date filters for long lists: the same text as Django's date filter, at a fraction of its cost.

Django's `date` filter builds a formatter per value; the case page's timeline writes two dates for
each of its events, and on a busy case they were a seventh of the page's time.
"""

from django import template

from conduct.dates import page_date

register = template.Library()


@register.filter(expects_localtime=True)
def when(value):
    """As |date:"j M Y, H:i": "24 Nov 2026, 09:05", in the site's time zone."""
    if not value:
        return ""
    return f"{page_date(value)}, {value:%H:%M}"


@register.filter(expects_localtime=True)
def iso(value):
    """As |date:"c", for a <time datetime> attribute."""
    if not value:
        return ""
    return value.isoformat()


@register.filter(expects_localtime=True)
def day(value):
    """As |date:"j M Y": "24 Nov 2026", in the site's time zone."""
    if not value:
        return ""
    return page_date(value)
