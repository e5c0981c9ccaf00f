"""The subject access pack: one PDF (cover letter, index, the records in date order) and a ZIP
holding that PDF, the original letters and the released files, with their SHA-256 checksums.

Everything is built in memory first; the files are written to storage and
the Pack row saved in one transaction, and the files are removed again if
anything fails, so a failed build leaves no half-released pack.
"""

import hashlib
import io
import json
import re
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from conduct.history import save_with_history
from conduct.models import School
from privacy.gathering import Context, staff_name
from privacy.models import ItemDecision, ItemKind, Pack, PackItem, RequestStatus
from privacy.redaction import Redactor
from privacy.request_steps import event_record, lock_request, require_handler, require_open
from privacy.selectors import may_handle_school
from sanctions.letters import rendering as renderer

TEMPLATE = "privacy/pack.html"


class PackBuildError(Exception):
    pass


def letterhead_school(request):
    """The school answering: the one the request was made to, else the person's, else the trust's first."""
    if request.school_id:
        return request.school
    if request.person_id:
        return request.person.added_at_school
    return School.objects.select_related("trust").order_by("name").first()


def _withheld(item) -> str:
    """Why a record's content is not in the pack ("" when it is)."""
    if item.needs_head_decision and item.decision != ItemDecision.RELEASE:
        return "A pupil's own account of events: withheld by decision of the head."
    return ""


def redactor_for(item, ctx) -> Redactor:
    return Redactor(list(item.redactions.all()), ctx.own_words, ctx.own_names)


def pack_context(request, items, *, viewer, released_at=None, draft=False) -> dict:
    items = list(items)
    ctx = Context(request.person)
    school = letterhead_school(request)
    records, index = [], []
    for number, item in enumerate(items, start=1):
        redactor = redactor_for(item, ctx)
        withheld = _withheld(item)
        file_note = ""
        if item.kind == ItemKind.EVIDENCE:
            file_note = (f"The file is enclosed in the ZIP file as {zip_name(item, number, redactor)}."
                         if item.decision == ItemDecision.RELEASE
                         else "The file itself is withheld: it shows or names other people.")
        elif item.kind == ItemKind.REPRESENTATION and item.file_name:
            file_note = f"Your attachment is enclosed in the ZIP file as {zip_name(item, number, redactor)}."
        # The title too: an evidence file's title is its name, which may name the people in it.
        entry = {
            "number": number, "item": item, "title": redactor.pack_text(item.title), "withheld": withheld,
            "file_note": file_note, "school": item.school.name if item.school_id else "All schools of the trust",
            "fields": [] if withheld else [(label, redactor.pack_text(value)) for label, value in item.fields],
        }
        records.append(entry)
        index.append(entry)
    released_at = released_at or timezone.now()
    return {
        "request": request, "school": school, "trust": school.trust if school else None,
        "school_address_line": renderer.one_line(school.address) if school else "",
        "logo": renderer.logo_data_uri(school) if school else "",
        "records": records, "index": index, "nothing_held": not items,
        "dated": timezone.localtime(released_at).date(), "signatory": staff_name(viewer),
        "signatory_role": "Data protection officer" if not request.school_id or viewer is None
        else _role_title(viewer, request),
        "redacted_count": sum(1 for r in records for v in [r["title"], *(v for _l, v in r["fields"])]
                              if "[redacted:" in v),
        "draft": draft,
    }


def _role_title(user, request) -> str:
    from privacy.selectors import is_dpo

    if is_dpo(user):
        return "Data protection officer"
    return request.school.head_title if request.school_id else "Head"


def _safe(name: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name or "file").strip("-.")
    return name[:80] or "file"


def zip_name(item, number, redactor) -> str:
    """The file's name in the ZIP: its original name, the names of other people in it redacted."""
    folder = "evidence" if item.kind == ItemKind.EVIDENCE else "representations"
    return f"{folder}/{number:03d}-{_safe(redactor.pack_text(item.original_name))}"


def pack_items(request):
    return (PackItem.objects.filter(request=request).select_related("school")
            .prefetch_related("redactions").order_by("dated", "pk"))


def render_pack_pdf(request, items, *, viewer, released_at=None, draft=False) -> bytes:
    context = pack_context(request, items, viewer=viewer, released_at=released_at, draft=draft)
    return renderer.render_pdf(TEMPLATE, context)


def _read(storage_name) -> bytes:
    from django.core.files.storage import default_storage

    try:
        with default_storage.open(storage_name, "rb") as handle:
            return handle.read()
    except (OSError, ValueError) as error:
        raise PackBuildError(f"A file to enclose could not be read ({storage_name}): {error}") from error


def build_zip(request, items, pdf: bytes, pdf_name: str) -> tuple[bytes, list]:
    """(zip bytes, manifest): the pack PDF, the letters as sent, the released files, and their checksums."""
    files = [(pdf_name, pdf)]
    ctx = Context(request.person)
    for number, item in enumerate(items, start=1):
        if item.kind == ItemKind.LETTER and item.letter_pdf is not None:
            data = bytes(item.letter_pdf)
            if hashlib.sha256(data).hexdigest() != item.letter_sha256:
                raise PackBuildError(f"The letter {item.original_name} no longer matches its SHA-256.")
            files.append((item.original_name, data))
        elif item.kind == ItemKind.EVIDENCE and item.decision == ItemDecision.RELEASE:
            files.append((zip_name(item, number, redactor_for(item, ctx)), _read(item.file_name)))
        elif item.kind == ItemKind.REPRESENTATION and item.file_name:
            files.append((zip_name(item, number, redactor_for(item, ctx)), _read(item.file_name)))
    manifest = [{"name": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                for name, data in files]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
        archive.writestr("manifest.json", json.dumps(
            {"request": request.reference, "files": manifest}, indent=2))
        archive.writestr("SHA256SUMS.txt", "".join(f"{m['sha256']}  {m['name']}\n" for m in manifest))
    return buffer.getvalue(), manifest


def _check_releasable(actor, request, items) -> None:
    require_handler(actor, request)
    require_open(request)
    if request.status != RequestStatus.IN_REVIEW:
        raise ValidationError("Gather the records first.")
    if not request.identity_checked:
        raise ValidationError("Check the requester's identity before releasing anything.")
    if request.paused:
        raise ValidationError(f"The clock is stopped since {request.paused_since:%-d %b %Y}, waiting for "
                              f"{request.get_paused_for_display()}: restart it before releasing the pack.")
    if any(not may_handle_school(actor, item.school_id) for item in items):
        raise PermissionDenied("The pack holds records of schools you do not lead: the data protection officer "
                               "releases it.")
    pending = [item.title for item in items if item.needs_head_decision and not item.decision]
    if pending:
        raise ValidationError(f"The head has not yet decided about {len(pending)} pupil's account(s): "
                              + "; ".join(pending[:5]))


def paused_days_note(request) -> str:
    """How long the clock stood still, for the release's line on the timeline: the answer's date is
    judged against the deadline those days moved."""
    if not request.paused_days:
        return ""
    days = request.paused_days
    return (f"; the clock was stopped {days} day{'s' if days != 1 else ''}, "
            f"so it was due by {request.deadline:%-d %b %Y}")


def pack_release(*, actor, request) -> Pack:
    from django.core.files.storage import default_storage

    stored = []
    try:
        with transaction.atomic():
            request = lock_request(request)
            items = list(pack_items(request))
            _check_releasable(actor, request, items)
            released_at = timezone.now()
            pdf = render_pack_pdf(request, items, viewer=actor, released_at=released_at)
            pdf_name = f"{request.reference}-pack.pdf"
            data, manifest = build_zip(request, items, pdf, pdf_name)
            pack = Pack(request=request, pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                        zip_sha256=hashlib.sha256(data).hexdigest(), manifest=manifest, released_by=actor,
                        released_at=released_at)
            pack.pdf.save(pdf_name, ContentFile(pdf), save=False)
            stored.append(pack.pdf.name)
            pack.zip.save(f"{request.reference}-pack.zip", ContentFile(data), save=False)
            stored.append(pack.zip.name)
            pack.save()
            request.status = RequestStatus.RELEASED
            request.version += 1
            save_with_history(request, "Pack released", actor=actor)
            answered = (f"Pack released: {len(items)} record(s), {len(manifest)} file(s) in the ZIP"
                        if items else "Answered: nothing held")
            event_record(actor=actor, request=request, kind="released",
                         summary=answered + paused_days_note(request), note=f"PDF SHA-256 {pack.pdf_sha256}",
                         pdf_sha256=pack.pdf_sha256, zip_sha256=pack.zip_sha256, paused_days=request.paused_days)
            return pack
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
