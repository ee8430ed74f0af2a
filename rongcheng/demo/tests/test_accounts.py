import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from rongcheng.accounts import roles
from rongcheng.accounts.models import User
from rongcheng.demo.accounts import DEMO_PASSWORD, load_demo_users

pytestmark = pytest.mark.django_db

EXPECTED = {
    "admin": roles.PLATFORM_ADMIN,
    "ops": roles.OPERATIONS,
    "cs_supervisor": roles.CS_SUPERVISOR,
    "cs_agent": roles.CS_AGENT,
    "store_manager": roles.STORE_MANAGER,
    "clerk": roles.STORE_CLERK,
    "fulfillment": roles.FULFILLMENT_OPERATOR,
}


def test_one_staff_login_per_role_and_loading_twice_changes_nothing():
    first = load_demo_users()
    users_after_first = User.objects.count()
    second = load_demo_users()
    assert second == first
    assert User.objects.count() == users_after_first == len(EXPECTED) + 1
    logins = [login for _role, login, _password in first]
    assert logins == [*EXPECTED, "13800000001"]
    for username, role in EXPECTED.items():
        user = User.objects.get(username=username)
        assert user.is_staff
        assert [g.name for g in roles.user_roles(user=user)] == [role]
    assert User.objects.filter(is_superuser=True).get().username == "admin"
    request = RequestFactory().post("/backoffice/login/", REMOTE_ADDR="10.0.0.2")
    assert authenticate(request, username="cs_agent", password=DEMO_PASSWORD).has_perm(
        "accounts.view_user"
    )
