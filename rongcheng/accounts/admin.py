from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from unfold.widgets import UnfoldAdminSelectWidget

from rongcheng.accounts import roles
from rongcheng.accounts.models import Address, ConsentRecord, User

NOTHING = "-"  # as Django admin shows an empty value

ACTIONS = {"add": _("新增"), "change": _("修改"), "delete": _("删除"), "view": _("查看")}


def permission_label(permission: Permission) -> str:
    """'查看 用户' rather than Django's untranslated 'Can view 用户'."""
    action, _sep, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in ACTIONS and model is not None and model._meta.model_name == model_name:
        return f"{ACTIONS[action]} {model._meta.verbose_name}"
    return permission.name


def group_link(group: Group) -> str:
    return format_html(
        '<a class="text-primary-600 dark:text-primary-500" href="{}">{}</a>',
        reverse("admin:auth_group_change", args=[group.pk]),
        group.name,
    )


class AddressInline(TabularInline):
    """Shown to staff for reference; members edit their address book through its rules."""

    model = Address
    extra = 0
    can_delete = False
    fields = ["recipient", "phone", "province", "city", "district", "detail", "is_default"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ConsentInline(TabularInline):
    model = ConsentRecord
    extra = 0
    can_delete = False
    readonly_fields = ["purpose", "granted", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    list_display = [
        "username",
        "mobile",
        "email",
        "real_name",
        "role_list",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_active", "is_vip", "groups"]
    search_fields = ["username", "mobile", "email", "real_name"]
    ordering = ["-date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("资料"),
            {
                "fields": [
                    "mobile",
                    "email",
                    "real_name",
                    "landline",
                    "call_links",
                    "postcode",
                    "city",
                    "is_vip",
                ]
            },
        ),
        (
            _("权限"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("时间"), {"fields": ["last_login", "date_joined", "closed_at"]}),
    ]
    add_fieldsets = [(None, {"fields": ["username", "mobile", "password1", "password2"]})]
    autocomplete_fields = ["city"]
    readonly_fields = ["last_login", "date_joined", "closed_at", "call_links"]
    inlines = [AddressInline, ConsentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("角色"))
    def role_list(self, obj: User) -> str:
        return "、".join(group.name for group in roles.user_roles(user=obj)) or NOTHING

    @admin.display(description=_("外呼"))
    def call_links(self, obj: User) -> str:
        """Click to call (CALL-8): the agent workspace opens with the number to dial."""
        numbers = [number for number in (obj.mobile, obj.landline) if number]
        workspace = reverse("callcenter:workspace")
        return (
            format_html_join(
                " ", '<a href="{}?dial={}">{}</a>', ((workspace, n, n) for n in numbers)
            )
            or NOTHING
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not roles.user_can_manage_roles(user=request.user):
            fields += ["is_staff", "groups", "user_permissions"]
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields

    def has_change_permission(self, request, obj=None):
        """Whoever may edit members may not take over a staff account (e.g. by its password):
        staff accounts, store staff included, need the right to manage roles, superusers a
        superuser. The password form asks this too."""
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        if obj.is_superuser:
            return False
        return not roles.user_is_staff_account(user=obj) or roles.user_can_manage_roles(
            user=request.user
        )


class GroupForm(forms.ModelForm):
    parent = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        label=_("继承自"),
        help_text=_("本角色组拥有上级角色组及其所有上级的全部权限。"),
        widget=UnfoldAdminSelectWidget,
    )

    class Meta:
        model = Group
        fields = ["name", "permissions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = Group.objects.order_by("name")
        if self.instance.pk:
            choices = choices.exclude(pk=self.instance.pk)
            self.fields["parent"].initial = roles.group_parent(group=self.instance)
        self.fields["parent"].queryset = choices

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        if (
            parent is not None
            and self.instance.pk
            and roles.group_would_cycle(group=self.instance, parent=parent)
        ):
            raise forms.ValidationError(
                _("“%(parent)s”是本角色组的下级角色组，不能作为它的上级：会形成循环继承。"),
                params={"parent": parent.name},
                code="role_cycle",
            )
        return parent


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin, ModelAdmin):
    form = GroupForm
    list_display = ["name", "parent_name", "staff_count"]
    fieldsets = [
        (None, {"fields": ["name", "parent"]}),
        (_("本组权限"), {"fields": ["permissions"]}),
        (_("继承关系"), {"fields": ["inherited_permissions", "child_groups"]}),
    ]
    readonly_fields = ["inherited_permissions", "child_groups"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("inheritance__parent")
            .annotate(
                staff_total=Count("user", filter=Q(user__is_staff=True, user__is_active=True))
            )
        )

    def get_object(self, request, object_id, from_field=None):
        """Load the inheritance shown read-only once: the page renders each field repeatedly."""
        group = super().get_object(request, object_id, from_field)
        if group is not None:
            group.inherited = roles.group_inherited_permissions(group=group)
            group.children = roles.group_children(group=group)
        return group

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.name in roles.SEEDED:
            fields.append("name")  # the platform refers to seeded roles by name
        return fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.name in roles.SEEDED:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # would delete seeded roles along with the rest
        return actions

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        roles.group_set_parent(group=form.instance, parent=form.cleaned_data["parent"])

    @admin.display(description=_("继承自"))
    def parent_name(self, obj: Group) -> str:
        link = getattr(obj, "inheritance", None)
        return link.parent.name if link else NOTHING

    @admin.display(description=_("在岗员工"))
    def staff_count(self, obj: Group) -> int:
        return obj.staff_total

    @admin.display(description=_("继承自"))
    def parent(self, obj: Group) -> str:
        """Read-only view of the parent (for staff who may only view role groups)."""
        inherited = getattr(obj, "inherited", [])
        return group_link(inherited[0][0]) if inherited else NOTHING

    @admin.display(description=_("继承来的权限"))
    def inherited_permissions(self, obj: Group | None) -> str:
        inherited = getattr(obj, "inherited", [])
        if not inherited:
            return NOTHING
        return format_html_join(
            "",
            '<p class="mb-2"><strong>{}</strong>：{}</p>',
            (
                (group_link(ancestor), "、".join(map(permission_label, perms)) or NOTHING)
                for ancestor, perms in inherited
            ),
        )

    @admin.display(description=_("下级角色组"))
    def child_groups(self, obj: Group | None) -> str:
        children = getattr(obj, "children", [])
        return format_html_join("、", "{}", ((group_link(c),) for c in children)) or NOTHING
