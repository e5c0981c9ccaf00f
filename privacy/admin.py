"""Read-only views for superusers: every change goes through privacy.services (locks, checks, timeline)."""

from django.contrib import admin

from privacy.models import (
    AccessLogEntry,
    AnonymisedRecord,
    Hold,
    RequestPause,
    RetentionPolicy,
    RetentionRun,
    SubjectAccessRequest,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SubjectAccessRequest)
class SubjectAccessRequestAdmin(ReadOnly):
    list_display = ["reference", "requester_name", "school", "received_on", "deadline", "status"]
    list_filter = ["status", "school"]


@admin.register(RequestPause)
class RequestPauseAdmin(ReadOnly):
    list_display = ["request", "reason", "paused_from", "resumed_on"]
    list_select_related = ["request"]


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(ReadOnly):
    list_display = ["trust", "record_type", "months", "set_by", "set_at"]


@admin.register(Hold)
class HoldAdmin(ReadOnly):
    list_display = ["incident", "kind", "review_on", "placed_by", "released_at"]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnly):
    list_display = ["started_at", "finished_at", "skipped_held"]


@admin.register(AnonymisedRecord)
class AnonymisedRecordAdmin(ReadOnly):
    list_display = ["model", "object_id", "record_type", "at"]
    list_filter = ["record_type"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnly):
    list_display = ["at", "user", "kind", "object_id", "incident_id", "person_id"]
    list_filter = ["kind"]
    # The log grows with every page view: no full count on each admin page.
    show_full_result_count = False
