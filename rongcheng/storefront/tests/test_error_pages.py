import pytest
from django.test import Client
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_unknown_page_is_a_branded_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "抱歉，您访问的页面不存在" in response.content.decode()


def test_staff_without_permission_get_a_branded_403(rf):
    from rongcheng.accounts import roles
    from rongcheng.core.testing.factories import UserFactory

    clerk = UserFactory(is_staff=True)
    roles.user_grant_role(user=clerk, role=roles.STORE_CLERK)
    client = Client()
    client.force_login(clerk)
    response = client.get("/backoffice/catalog/product/")
    assert response.status_code == 403
    assert "没有访问权限" in response.content.decode()


def test_server_error_page_renders_without_a_request(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "服务暂时不可用" in response.content.decode()
