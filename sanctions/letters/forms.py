"""Forms for drafting, editing and issuing letters."""

from django import forms

from conduct.params import BoundedIntegerField
from incidents.forms import IdChoiceField, PlainForm
from sanctions.models import COLLECTORS_NOTE, COLLECTORS_NOTE_KINDS, LetterKind, SentBy

# The kinds whose template prints the letter's `reasons` (the withdrawal's reasons are its own paragraphs).
REASONS_PRINTED = {LetterKind.INTENDED_BAN, LetterKind.PROVISIONAL_BAN, LetterKind.BAN_CONFIRMATION,
                   LetterKind.BAN_REVIEW, LetterKind.COMPLAINT_OUTCOME}


class LetterNewForm(PlainForm):
    kind = forms.ChoiceField(label="Kind of letter", choices=(), widget=forms.RadioSelect)
    person = IdChoiceField(label="To", queryset=None, empty_label=None)

    def __init__(self, *args, people, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the kinds the case's state allows; the page lists the others with what would allow them.
        self.fields["kind"].choices = [(kind, kind.label) for kind in kinds]
        self.fields["person"].queryset = people


# Every free text that a letter prints says so on its form.
PARENT_READS = "The parent will read this in the letter."
FACTS_HELP = (f"{PARENT_READS} Write to the parent (“you”), neutrally: the date, the place, what was said and "
              "done, without opinions or other people's names. Leave a blank line between paragraphs.")


class CaseAccountForm(PlainForm):
    text = forms.CharField(label="What happened, as letters tell it", widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=FACTS_HELP, max_length=20000)
    version = BoundedIntegerField(widget=forms.HiddenInput)


class LetterFactsForm(PlainForm):
    """Only what happened, rewritten for the parent: the draft's other words stay as they are."""
    facts = forms.CharField(
        label="What happened, as letters tell it", widget=forms.Textarea(attrs={"rows": 5}), max_length=20000,
        help_text=f"{FACTS_HELP} It becomes the case's account for later letters.",
    )
    version = BoundedIntegerField(widget=forms.HiddenInput)


class LetterEditForm(PlainForm):
    facts = forms.CharField(
        label="What happened, as letters tell it", widget=forms.Textarea(attrs={"rows": 7}), max_length=20000,
        help_text=f"{FACTS_HELP} Saving it here also makes it the case's account for later letters.",
    )
    reasons = forms.CharField(
        label="Reasons", required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=20000,
        help_text=f"{PARENT_READS} Printed under the decision; the ban's own record keeps what was recorded.",
    )
    pupil_arrangements = forms.CharField(
        label="Your child's drop-off and collection", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000, help_text=f"{PARENT_READS} Printed in the table of the ban's details.",
    )
    specific_paragraphs = forms.CharField(
        label="Paragraphs of your own", required=False, widget=forms.Textarea(attrs={"rows": 7}), max_length=20000,
        help_text=f"{PARENT_READS} Printed after the code of conduct's wording. Leave empty if the standard "
                  "text is enough.",
    )
    collectors_note = forms.BooleanField(
        label="Add the code's note on who collects the child", required=False,
        help_text=f"{PARENT_READS} Quotes section 2: “{COLLECTORS_NOTE}”, and asks the parent to make sure "
                  "everyone who collects their child knows the code.",
    )
    version = BoundedIntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, letter, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the words this kind of letter prints are offered.
        if letter.kind not in REASONS_PRINTED:
            del self.fields["reasons"]
        if letter.kind not in COLLECTORS_NOTE_KINDS:
            del self.fields["collectors_note"]
        if not letter.ban_id:
            del self.fields["pupil_arrangements"]
        else:
            self.fields["pupil_arrangements"].required = True


class LetterIssueForm(PlainForm):
    sent_by = forms.ChoiceField(label="How the letter is sent", choices=SentBy.choices, widget=forms.RadioSelect)

    @classmethod
    def for_person(cls, person):
        """The form as the letter's page shows it: with no email address recorded, email is no choice (the
        service refuses it), so post, the usual way, is chosen already."""
        form = cls()
        if not person.email.strip():
            field = form.fields["sent_by"]
            field.choices = [choice for choice in SentBy.choices if choice[0] != SentBy.EMAIL]
            field.initial = SentBy.POST
            field.help_text = f"Not by email: no email address is recorded for {person.full_name}."
        return form
