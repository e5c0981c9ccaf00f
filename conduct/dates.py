"""The two ways dates are written: pages and the timeline say "24 Nov 2026", letters "24 November 2026".

Templates use the same formats through Django's date filter ("j M Y" and "j F Y");
these are for text written by code (timeline summaries, reminders, messages).
"""


def page_date(day) -> str:
    return f"{day.day} {day:%b %Y}"


def letter_date(day) -> str:
    return f"{day.day} {day:%B %Y}"
