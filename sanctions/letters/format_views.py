"""Pages for an issued letter's accessible formats: make the large-print copy, download it.

The letter is fetched through the selector (404 outside the user's schools); the role check here
only decides between 403 and the service, which checks everything again.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST, require_safe

from conduct.access import record_view
from conduct.audit import audit_log
from conduct.permissions import require_role
from sanctions.letters.formats import FORMAT_MAKERS, letter_format_create
from sanctions.letters.selectors import get_letter_for
from sanctions.models import LetterFormatKind


@require_POST
def letter_large_print_make(request, pk):
    letter = get_letter_for(request.user, pk)
    require_role(request.user, letter.incident.school, FORMAT_MAKERS, "make large-print copies of letters")
    try:
        letter_format_create(actor=request.user, letter=letter, kind=LetterFormatKind.LARGE_PRINT)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The large-print copy is made, from the letter's own wording: download it below.")
    return redirect("sanctions:letter_detail", letter.pk)


@require_safe
def letter_large_print(request, pk):
    letter = get_letter_for(request.user, pk)
    copy = letter.formats.filter(kind=LetterFormatKind.LARGE_PRINT).first()
    if copy is None:
        raise Http404("No large-print copy of this letter has been made.")
    audit_log(request.user, "letter_large_print_download", letter, sha256=copy.sha256)
    record_view(request.user, "letter", letter, letter.incident.school_id)
    response = HttpResponse(bytes(copy.pdf), content_type="application/pdf")
    filename = f"{letter.incident.reference}-{letter.kind}-{letter.pk}-large-print.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
