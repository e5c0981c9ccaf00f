"""The home page's section of open subject access requests, for the DPO and heads.

Bounded like the other sections: the most urgent few in SQL (the nearest
deadline first, so overdue ones lead), one COUNT, a link to the full list.
"""

from django.urls import reverse

from incidents.worklists import SECTION_LIMIT
from privacy.selectors import may_handle_requests, open_requests_for


def _due_note(request) -> str:
    # A stopped clock counts nothing down: the row says what the request waits for instead.
    if request.paused:
        return f"paused since {request.paused_since:%-d %b %Y}, waiting for {request.get_paused_for_display()}"
    return f"answer due {request.deadline:%-d %b %Y}"


def request_sections(user) -> list[dict]:
    if not may_handle_requests(user):
        return []
    requests = open_requests_for(user)
    total = requests.count()
    chosen = []
    if total:
        chosen = list(requests.select_related("school").order_by("deadline", "pk")[:SECTION_LIMIT])
    items = [
        {"url": r.get_absolute_url(), "title": r.reference, "subjects": r.requester_name, "stage": "",
         "stage_label": "", "school": r.school.name if r.school_id else "The trust",
         "overdue": r.overdue, "note": _due_note(r), "since": None}
        for r in chosen
    ]
    return [{"key": "subject_access", "title": "Subject access requests to answer",
             "empty": "No subject access request is waiting for an answer.", "items": items, "total": total,
             "more_url": reverse("privacy:request_list") if total > len(items) else ""}]
