"""The stores' back office writes through the services: staff memberships are saved by the
membership services, and a store with a history cannot be deleted."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from rongcheng.catalog.tests.test_admin import _form_values
from rongcheng.core.testing.factories import UserFactory
from rongcheng.stores.errors import StoreInUse
from rongcheng.stores.models import Store, StoreMembership
from rongcheng.stores.services import store_delete
from rongcheng.stores.tests.factories import StoreFactory, StoreMembershipFactory

pytestmark = pytest.mark.django_db


def _with_new_row(data: dict, prefix: str, row: dict) -> dict:
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data = data | {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    return data


def test_staff_are_added_and_their_role_changed_through_the_membership_service(
    admin_client, regions
):
    store = StoreFactory(city=regions["150600"])
    clerk = StoreMembershipFactory(store=store).user
    newcomer = UserFactory(password=None)
    url = reverse("admin:stores_store_change", args=[store.id])
    data = _form_values(admin_client.get(url))
    data["memberships-0-role"] = StoreMembership.Role.MANAGER
    data = _with_new_row(
        data, "memberships", {"user": newcomer.id, "role": "clerk", "is_active": "on"}
    )

    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(
        StoreMembership.objects.filter(store=store).values_list("user_id", "role", "is_active")
    ) == sorted([(clerk.id, "manager", True), (newcomer.id, "clerk", True)])


def test_a_membership_row_keeps_its_person(admin_client, regions):
    """Another person is another membership: the user of a saved row cannot be swapped."""
    store = StoreFactory(city=regions["150600"])
    clerk = StoreMembershipFactory(store=store).user
    other = UserFactory(password=None)
    url = reverse("admin:stores_store_change", args=[store.id])
    data = _form_values(admin_client.get(url)) | {"memberships-0-user": other.id}
    assert admin_client.post(url, data).status_code == 302
    assert list(StoreMembership.objects.values_list("user_id", flat=True)) == [clerk.id]


def test_a_store_with_staff_is_not_deleted_and_the_back_office_says_why(admin_client, regions):
    store = StoreFactory(city=regions["150600"])
    StoreMembershipFactory(store=store)
    with pytest.raises(StoreInUse):
        store_delete(store=store)

    response = admin_client.post(
        reverse("admin:stores_store_delete", args=[store.id]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:stores_store_change", args=[store.id])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "门店已有员工、上架商品或库存记录，不能删除；如已停业，请取消勾选“营业中”。"
    ]
    assert Store.objects.filter(id=store.id).exists()
    assert StoreMembership.objects.filter(store=store).count() == 1


def test_a_store_entered_by_mistake_is_deleted(admin_client, regions):
    store = StoreFactory(city=regions["150600"])
    response = admin_client.post(
        reverse("admin:stores_store_delete", args=[store.id]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Store.objects.filter(id=store.id).exists()
