import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory

from rongcheng.accounts.models import GroupParent
from rongcheng.core.testing.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def login_request():
    return RequestFactory().post("/login/", REMOTE_ADDR="10.0.0.1")


@pytest.mark.parametrize("identifier", ["wang01", "WANG01", "13911112222", "Wang@Example.com"])
def test_each_identifier_logs_in(login_request, identifier):
    user = UserFactory(username="wang01", mobile="13911112222", email="wang@example.com")
    assert authenticate(login_request, username=identifier, password=DEFAULT_PASSWORD) == user


def test_wrong_password_and_unknown_identifier_are_refused(login_request):
    UserFactory(username="wang01")
    assert authenticate(login_request, username="wang01", password="wrong") is None
    assert authenticate(login_request, username="nobody", password=DEFAULT_PASSWORD) is None


def test_inactive_user_cannot_log_in(login_request):
    UserFactory(username="wang01", is_active=False)
    assert authenticate(login_request, username="wang01", password=DEFAULT_PASSWORD) is None


def test_permissions_inherit_three_groups_deep():
    grandparent, parent, child = (Group.objects.create(name=n) for n in ("总部", "区域", "门店"))
    GroupParent.objects.create(group=parent, parent=grandparent)
    GroupParent.objects.create(group=child, parent=parent)
    view_user = Permission.objects.get(codename="view_user")
    change_address = Permission.objects.get(codename="change_address")
    grandparent.permissions.add(view_user)
    parent.permissions.add(change_address)
    clerk, manager = UserFactory(), UserFactory()
    clerk.groups.add(child)
    manager.groups.add(grandparent)

    assert clerk.has_perm("accounts.view_user")
    assert clerk.has_perm("accounts.change_address")
    assert manager.has_perm("accounts.view_user")
    assert not manager.has_perm("accounts.change_address")  # inheritance runs downwards only
