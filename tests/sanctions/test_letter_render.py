"""Each letter kind renders to an A4 PDF whose text holds what the issue requires."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile

from sanctions.bans import services as ban_services
from sanctions.complaints import services as complaint_services
from sanctions.letters import rendering as renderer
from sanctions.letters import services as letter_services
from sanctions.models import BanRoute, LetterKind, ReviewOutcome
from tests.sanctions.conftest import pdf_text, squash


@pytest.fixture
def letter_of_kind(letters_case, ban_case, build, make_ban, personas, deadline_passed, today):
    head, senior = personas["head"], personas["senior"]

    def make(kind):
        if kind in (LetterKind.MEETING_INVITATION, LetterKind.WARNING):
            return letter_services.letter_draft(actor=senior, incident=letters_case, kind=kind)
        if kind == LetterKind.COMPLAINT_OUTCOME:
            complaint = complaint_services.complaint_record(
                actor=senior, incident=letters_case, complainant=letters_case.subjects()[0], received_on=today,
                summary="Unfair.", decision=letters_case.decisions.last())
            return complaint_services.complaint_outcome_record(actor=senior, complaint=complaint, outcome="upheld",
                                                               outcome_on=today, reasons="We agree.")[1]
        if kind == LetterKind.PROVISIONAL_BAN:
            return make_ban(ban_case).letters.get()
        if kind in (LetterKind.INTENDED_BAN, LetterKind.BAN_WITHDRAWN):
            ban = make_ban(ban_case, route=BanRoute.NOTICE)
            if kind == LetterKind.INTENDED_BAN:
                return ban.letters.get()
            ban_services.ban_withdraw(actor=head, ban=ban, reasons="The parent apologised in person.")
            return ban.letters.get(kind=kind)
        ban = make_ban(ban_case)
        letter_services.letter_issue(actor=head, letter=ban.letters.get(), sent_by="post")
        deadline_passed(ban)
        ban_services.ban_confirm(actor=head, ban=ban, reasons="Needed to keep staff safe.")
        if kind == LetterKind.BAN_CONFIRMATION:
            return ban.letters.get(kind=kind)
        ban_services.ban_review(actor=head, ban=ban, outcome=ReviewOutcome.CONTINUE, reasons="No change.",
                                next_review_on=today + timedelta(days=30))
        return ban.letters.get(kind=kind)

    return make


@pytest.mark.parametrize("kind", LetterKind.values)
def test_each_letter_kind_holds_the_facts_the_policy_and_the_signature(kind, letter_of_kind):
    letter = letter_of_kind(kind)
    incident, school = letter.incident, letter.incident.school
    data = renderer.letter_pdf(letter)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert letter.person.full_name in text
    assert school.name in text
    occurred = incident.occurred_at.astimezone().date()
    assert f"{occurred.day} {occurred:%B %Y}" in text
    for category in incident.categories.all():
        assert squash(category.policy_wording) in text, category.code
    assert school.head_name in text and school.head_title in text
    assert "1 Home Street" in text  # the parent's address
    assert incident.reference in text


@pytest.mark.parametrize("kind", [LetterKind.INTENDED_BAN, LetterKind.PROVISIONAL_BAN, LetterKind.BAN_CONFIRMATION,
                                  LetterKind.BAN_REVIEW])
def test_ban_letters_state_sites_dates_trespass_and_representations(kind, letter_of_kind):
    letter = letter_of_kind(kind)
    ban = letter.ban
    text = pdf_text(renderer.letter_pdf(letter))
    for site in ban.sites.all():
        assert site.name in text
    for day in (ban.starts_on, ban.ends_on, ban.review_on):
        assert f"{day.day} {day:%B %Y}" in text
    assert "drop-off and collection" in text
    assert squash(ban.pupil_arrangements) in text
    assert "section 547 of the Education Act 1996" in text
    assert "trespass" in text
    assert "representations" in text
    if kind in (LetterKind.INTENDED_BAN, LetterKind.PROVISIONAL_BAN):
        deadline = ban.representations_by
        assert f"{deadline.day} {deadline:%B %Y}" in text
        assert letter.incident.school.email in text


def test_a4_and_one_page_for_a_warning(letter_of_kind):
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(renderer.letter_pdf(letter_of_kind(LetterKind.WARNING))))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert len(reader.pages) == 1


def test_the_schools_logo_is_on_the_letterhead(letter_of_kind, school):
    from PIL import Image

    image = Image.new("RGB", (40, 40), "navy")
    from io import BytesIO

    out = BytesIO()
    image.save(out, "PNG")
    school.logo.save("logo.png", ContentFile(out.getvalue()))
    letter = letter_of_kind(LetterKind.WARNING)
    assert renderer.logo_data_uri(letter.incident.school).startswith("data:image/png;base64,")
    assert b"/Subtype /Image" in renderer.letter_pdf(letter)


def test_the_edited_paragraphs_are_printed_and_markup_stays_text(letter_of_kind, personas):
    letter = letter_of_kind(LetterKind.WARNING)
    letter = letter_services.letter_update(
        actor=personas["senior"], letter=letter, facts="You shouted at the gate.\n\nYou left when asked.",
        specific_paragraphs='We value <b>your</b> support. <img src="http://example.org/x.png">',
        expected_version=letter.version,
    )
    html = renderer.letter_html(letter)
    assert "&lt;b&gt;your&lt;/b&gt;" in html and "<img src=\"http" not in html
    text = pdf_text(renderer.letter_pdf(letter))
    assert "You shouted at the gate." in text and "You left when asked." in text
    assert "We value <b>your</b> support." in text


def test_a_draft_is_marked_draft(letter_of_kind):
    assert "DRAFT" in pdf_text(renderer.letter_pdf(letter_of_kind(LetterKind.MEETING_INVITATION)))


def test_a_logo_that_is_not_an_image_is_left_out(letter_of_kind, school):
    school.logo.save("logo.png", ContentFile(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"))
    assert renderer.logo_data_uri(school) == ""
    assert renderer.letter_pdf(letter_of_kind(LetterKind.WARNING)).startswith(b"%PDF-")


def test_the_renderer_fetches_nothing_outside(letter_of_kind):
    pdf = renderer.html_to_pdf('<p>x</p><img src="file:///etc/hostname"><img src="http://127.0.0.1:9/x.png">')
    assert b"/Subtype /Image" not in pdf


@pytest.mark.parametrize("kind", [LetterKind.WARNING, LetterKind.PROVISIONAL_BAN])
def test_a_letter_greets_a_person_with_a_title_by_title_and_surname(kind, letter_of_kind):
    letter = letter_of_kind(kind)
    person = letter.person
    person.title, person.full_name = "Ms", "Lisa Stone"
    person.save()
    letter.refresh_from_db()
    text = pdf_text(renderer.letter_pdf(letter))
    assert "Dear Ms Stone," in text
    assert "Ms Lisa Stone" in text  # the address block
    assert "Dear Lisa Stone" not in text


def test_a_salutation_override_wins(letter_of_kind):
    letter = letter_of_kind(LetterKind.WARNING)
    person = letter.person
    person.title, person.salutation = "Mr", "Mr and Mrs Parent"
    person.save()
    letter.refresh_from_db()
    assert "Dear Mr and Mrs Parent," in pdf_text(renderer.letter_pdf(letter))
