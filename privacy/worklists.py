"""The home page's section of open subject access requests, for the DPO and heads.

Bounded like the other sections: the most urgent few in SQL (the nearest
deadline first, so overdue ones lead), one COUNT, a link to the full list.
"""

from django.urls import reverse
from django.utils import timezone

from incidents.worklists import SECTION_LIMIT
from privacy.selectors import may_handle_requests, open_requests_for


def request_sections(user) -> list[dict]:
    if not may_handle_requests(user):
        return []
    requests = open_requests_for(user)
    total = requests.count()
    chosen = []
    if total:
        chosen = list(requests.select_related("school").order_by("deadline", "pk")[:SECTION_LIMIT])
    today = timezone.localdate()
    items = [
        {"url": r.get_absolute_url(), "title": r.reference, "subjects": r.requester_name, "stage": "",
         "stage_label": "", "school": r.school.name if r.school_id else "The trust",
         "overdue": r.deadline < today, "note": f"answer due {r.deadline:%-d %b %Y}", "since": None}
        for r in chosen
    ]
    return [{"key": "subject_access", "title": "Subject access requests to answer",
             "empty": "No subject access request is waiting for an answer.", "items": items, "total": total,
             "more_url": reverse("privacy:request_list") if total > len(items) else ""}]
