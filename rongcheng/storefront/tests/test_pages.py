import re

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation
from PIL import Image

from rongcheng.accounts.models import ConsentRecord, SmsCode, User
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


@pytest.fixture
def registration(client, django_capture_on_commit_callbacks) -> dict[str, str]:
    """A complete registration form, with the code just texted to the number."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("storefront:register"), {"mobile": "13912345678", "action": "send_code"}
        )
    return {
        "mobile": "13912345678",
        "sms_code": last_sms_code("13912345678"),
        "password": "Cashmere#2026",
        "password2": "Cashmere#2026",
        "accept_terms": "on",
        "accept_privacy": "on",
    }


def test_register_records_each_consent_separately(client, registration):
    response = client.post(reverse("storefront:register"), registration)
    assert response.status_code == 302
    user = User.objects.get(mobile="13912345678")
    consents = dict(user.consents.values_list("purpose", "granted"))
    assert consents == {"terms": True, "privacy": True, "marketing_sms": False}


def field_errors(html: str) -> dict[str, list[str]]:
    """Field name → the errors shown in its row of the form."""
    errors = {}
    for row in re.findall(r'<div class="form-row">(.*?)</div>', html, re.S):
        messages = re.findall(r'<p class="field-error">(.*?)</p>', row)
        if messages:
            errors[re.search(r'name="(\w+)"', row).group(1)] = messages
    return errors


@pytest.mark.parametrize(
    "refused", [("accept_terms",), ("accept_privacy",), ("accept_terms", "accept_privacy")]
)
def test_register_without_consent_writes_nothing(client, registration, refused):
    response = client.post(
        reverse("storefront:register"),
        {key: value for key, value in registration.items() if key not in refused},
    )
    assert response.status_code == 200
    with translation.override("zh-hans"):
        required = str(forms.Field.default_error_messages["required"])
    assert field_errors(response.content.decode()) == {name: [required] for name in refused}
    assert User.objects.count() == 0 and ConsentRecord.objects.count() == 0
    assert SmsCode.objects.get(purpose="register").used_at is None  # the code is still good
    # Everything else was right: the same form with consent registers the member.
    assert client.post(reverse("storefront:register"), registration).status_code == 302
    assert User.objects.filter(mobile="13912345678").count() == 1


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


@pytest.mark.django_db
def test_the_favicon_is_linked_from_every_page_and_served_at_the_root(client):
    assert (
        '<link rel="icon" href="/static/storefront/favicon.ico"' in client.get("/").content.decode()
    )
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301
    assert answer["Location"] == "/static/storefront/favicon.ico"
    with Image.open(finders.find("storefront/favicon.ico")) as icon:
        assert icon.format == "ICO"
        assert {(16, 16), (32, 32), (48, 48)} <= icon.info["sizes"]
