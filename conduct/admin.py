from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from conduct.models import AuthorisedPerson, School, StaffRole, Trust


@admin.register(Trust)
class TrustAdmin(SimpleHistoryAdmin):
    list_display = ["name"]


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "head_name", "chair_name", "representation_days"]


@admin.register(AuthorisedPerson)
class AuthorisedPersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "school", "authorised_from", "authorised_until"]
    list_filter = ["school"]
    search_fields = ["name", "role"]
    readonly_fields = ["added_by", "added_at"]

    def save_model(self, request, obj, form, change):
        # The record names who added it; in the admin that is whoever saves it first.
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(StaffRole)
class StaffRoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "school"]
    list_filter = ["role", "school"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
