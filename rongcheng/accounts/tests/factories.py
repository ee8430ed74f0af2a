from rongcheng.accounts import roles
from rongcheng.accounts.models import User
from rongcheng.core.testing.factories import UserFactory


def staff_with_role(role: str, **fields) -> User:
    """A staff user holding one seeded role, granted through the real service."""
    return roles.user_grant_role(user=UserFactory(**fields), role=role)
