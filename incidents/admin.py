from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from conduct.admin_base import ReadOnlyCaseAdmin
from incidents.models import BreachCategory, CaseEvent, Evidence, Incident, Person, StaffHarm, StaffSupport, Statement


@admin.register(BreachCategory)
class BreachCategoryAdmin(SimpleHistoryAdmin):
    """Administrators add categories or retire them; deleting would strip old incidents."""

    list_display = ["name", "policy_section", "active", "order"]
    list_filter = ["active", "policy_section"]
    list_editable = ["active", "order"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Incident)
class IncidentAdmin(ReadOnlyCaseAdmin):
    list_display = ["reference", "school", "occurred_at", "stage"]
    list_filter = ["school", "stage"]
    search_fields = ["reference"]


@admin.register(Person)
class PersonAdmin(ReadOnlyCaseAdmin):
    list_display = ["full_name", "relationship", "added_at_school"]
    search_fields = ["full_name"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyCaseAdmin):
    list_display = ["incident", "at", "actor", "summary"]


admin.site.register(Evidence, ReadOnlyCaseAdmin)
admin.site.register(Statement, ReadOnlyCaseAdmin)
admin.site.register(StaffHarm, ReadOnlyCaseAdmin)
admin.site.register(StaffSupport, ReadOnlyCaseAdmin)
