"""Log in by username, mobile number or e-mail; permissions inherit along role groups."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from rongcheng.accounts.models import GroupParent, User


def ancestor_group_ids(group_ids: set[int]) -> set[int]:
    """The groups and every ancestor of theirs, at any depth (one query)."""
    parent_of = dict(GroupParent.objects.values_list("group_id", "parent_id"))
    result = set(group_ids)
    frontier = set(group_ids)
    while frontier:
        frontier = {parent_of[g] for g in frontier if g in parent_of} - result
        result |= frontier
    return result


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        identifier = username.strip()
        user = (
            User.objects.filter(
                Q(username__iexact=identifier) | Q(mobile=identifier) | Q(email__iexact=identifier)
            )
            .order_by("pk")
            .first()
        )
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def _get_group_permissions(self, user_obj):
        own = set(user_obj.groups.values_list("pk", flat=True))
        return Permission.objects.filter(group__in=ancestor_group_ids(own))
