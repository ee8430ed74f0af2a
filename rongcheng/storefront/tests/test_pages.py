import pytest
from django.urls import reverse

from rongcheng.accounts.models import ConsentRecord, User
from rongcheng.notifications.testing import last_sms_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "storefront:home",
        "storefront:terms",
        "storefront:privacy",
        "storefront:login",
        "storefront:register",
        "storefront:city",
    ],
)
def test_public_pages_render_with_licence_footer(client, name, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "统一社会信用代码" in html and "91150602MA0RC00001" in html


def test_register_records_each_consent_separately(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("storefront:register"), {"mobile": "13912345678", "action": "send_code"}
        )
    response = client.post(
        reverse("storefront:register"),
        {
            "mobile": "13912345678",
            "sms_code": last_sms_code("13912345678"),
            "password": "Cashmere#2026",
            "password2": "Cashmere#2026",
            "accept_terms": "on",
            "accept_privacy": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(mobile="13912345678")
    consents = dict(user.consents.values_list("purpose", "granted"))
    assert consents == {"terms": True, "privacy": True, "marketing_sms": False}


def test_register_without_consent_writes_nothing(client):
    response = client.post(
        reverse("storefront:register"),
        {
            "mobile": "13912345678",
            "password": "Cashmere#2026",
            "password2": "Cashmere#2026",
        },
    )
    assert response.status_code == 200
    assert "必填" in response.content.decode() or "required" in response.content.decode()
    assert User.objects.count() == 0 and ConsentRecord.objects.count() == 0


def test_healthz_needs_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok"


def test_uploaded_pictures_are_served_without_debug(client, settings, tmp_path):
    assert not settings.DEBUG
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "a.jpg").write_bytes(b"\xff\xd8picture")
    response = client.get("/media/catalog/a.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8picture"
    assert client.get("/media/catalog/b.jpg").status_code == 404
    (tmp_path.parent / "outside.txt").write_text("not an upload")
    assert client.get("/media/../outside.txt").status_code == 400  # refused, not read
