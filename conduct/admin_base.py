from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyCaseAdmin(SimpleHistoryAdmin):
    """Case records change only through services, which check the rules and
    write the timeline; the admin may look but never add, edit or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # simple-history's revert view would write around the services.
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
