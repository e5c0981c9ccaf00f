from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe

from privacy.selectors import may_handle_requests, requests_for


@require_safe
def request_list(request):
    if not may_handle_requests(request.user):
        raise PermissionDenied("Only the data protection officer and heads answer subject access requests.")
    return render(request, "privacy/request_list.html", {"requests": requests_for(request.user)})
