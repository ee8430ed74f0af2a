"""Back-office building blocks shared by the apps' admin modules."""


class ReadOnlyMixin:
    """For admin pages and inlines of rows that only services write: view, never edit."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
