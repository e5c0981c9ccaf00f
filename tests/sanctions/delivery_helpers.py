"""Issued letters for the delivery tests, built through the services as the head would issue them."""

from django.core.mail.backends.base import BaseEmailBackend

from incidents.workflow import Stage
from sanctions.letters import services as letter_services
from sanctions.models import LetterKind


def issue_letter(build, personas, *, sent_by="post", school=None, name="Pat Parent"):
    """A warning letter issued `sent_by` on a new decided case (at `school`, default the first)."""
    school = school or build.school
    mine = school == build.school
    incident = build.case(stage=Stage.DECIDED, school=school, person=build.person(school=school, name=name))
    letter = letter_services.letter_draft(actor=personas["senior" if mine else "other_head"], incident=incident,
                                          kind=LetterKind.WARNING, person=incident.subjects()[0])
    return letter_services.letter_issue(actor=personas["head" if mine else "other_head"], letter=letter,
                                        sent_by=sent_by)


class MailServerDown(BaseEmailBackend):
    """An SMTP server that cannot be reached: every send raises as smtplib's backend would."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


DOWN = "tests.sanctions.delivery_helpers.MailServerDown"
