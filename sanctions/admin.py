from django.contrib import admin

from conduct.admin_base import ReadOnlyCaseAdmin
from sanctions.models import (
    BanBreach,
    BanReview,
    ChairConsultation,
    Complaint,
    ComplaintStep,
    Decision,
    DecisionAction,
    Letter,
    Proposal,
    Representation,
    SiteBan,
)

for model in (Proposal, ChairConsultation, Decision, DecisionAction, SiteBan, Representation, BanReview, BanBreach,
              Complaint, ComplaintStep):
    admin.site.register(model, ReadOnlyCaseAdmin)


@admin.register(Letter)
class LetterAdmin(ReadOnlyCaseAdmin):
    list_display = ["incident", "kind", "status", "issued_at"]
    exclude = ["pdf"]
