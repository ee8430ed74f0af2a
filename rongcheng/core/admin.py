"""The base of back-office pages whose every write goes through a service.

A page names its entity's save and delete services; the admin form, the list's editable
columns and the delete page all call them, so the purges, re-indexing and checks of the
services apply to the back office too. Objects are deleted one at a time (Django's bulk
action deletes with one query, past the services), and a service's refusal is shown as a
message on the object's page, with nothing changed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from unfold.admin import ModelAdmin

from rongcheng.core.errors import ApplicationError


@dataclass(frozen=True)
class Services:
    """An entity's services and the keyword they take it by (`brand_save(brand=…)`)."""

    save: Callable[..., Any]
    delete: Callable[..., Any]
    keyword: str


class ServiceAdmin(ModelAdmin):
    """`services` for the entity; inlines of other entities name theirs as `services` too
    (an entity's own parts, such as a product's SKUs, are saved with it by its form)."""

    services: Services

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        self.services.save(**{self.services.keyword: obj})

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.services.delete(**{self.services.keyword: obj})

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        services = self._inline_services().get(formset.model)
        if services is None:
            super().save_formset(request, form, formset, change)
            return
        changed = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.delete(**{services.keyword: obj})
        for obj in changed:
            services.save(**{services.keyword: obj})
        formset.save_m2m()

    def _inline_services(self) -> dict[type, Services]:
        return {
            inline.model: inline.services for inline in self.inlines if hasattr(inline, "services")
        }

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as error:  # e.g. an inline row another record still uses
            return self._refused(request, error, request.get_full_path())

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ApplicationError as error:
            return self._refused(request, error, self.change_url(object_id))

    def _refused(self, request: HttpRequest, error: ApplicationError, to: str) -> HttpResponse:
        """The view's transaction was rolled back when the error left it: say why, go back."""
        self.message_user(request, str(error.message), messages.ERROR)
        return HttpResponseRedirect(to)

    def change_url(self, object_id: str | int) -> str:
        """The object's page (`object_id` as it came in the address)."""
        opts = self.model._meta
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=[object_id],
            current_app=self.admin_site.name,
        )


class ReadOnlyMixin:
    """For admin pages and inlines of rows that only services write: view, never edit."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
