import pytest
from django.test import Client

from rongcheng.accounts.models import Address, ConsentRecord, User
from rongcheng.accounts.privacy import user_export_data
from rongcheng.accounts.services import address_create, member_create
from rongcheng.api.tests.http import send
from rongcheng.core.testing.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/member"


def _send(client, method, path, body=None):
    return send(client, method, f"{API}{path}", body)


def _address(user, regions, recipient="张三"):
    return address_create(
        user=user,
        recipient=recipient,
        phone="13900000000",
        province=regions["150000"],
        city=regions["150600"],
        district=regions["150602"],
        detail="鄂尔多斯西街 1 号",
    )


@pytest.fixture
def api(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def book(member, regions):
    return [_address(member, regions, name) for name in ("张三", "李四")]


def test_every_member_endpoint_needs_a_login(client):
    for method, path in [
        ("get", "/profile"),
        ("patch", "/profile"),
        ("get", "/addresses"),
        ("post", "/addresses"),
        ("get", "/export"),
        ("post", "/close"),
    ]:
        response = _send(client, method, path)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


def test_session_writes_need_the_csrf_token(member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = _send(browser, "patch", "/profile", {"real_name": "李四"})
    assert response.status_code == 403
    assert User.objects.get(pk=member.pk).real_name == "张三"


def test_profile_is_read_as_stored(api, member):
    response = api.get(f"{API}/profile")
    assert response.json() == {
        "username": member.username,
        "username_changeable": False,
        "mobile": "13900000000",
        "email": None,
        "real_name": "张三",
        "landline": "",
        "postcode": "",
        "city": None,
        "marketing_sms": False,
    }


def test_patch_changes_only_the_fields_sent(api, member, regions):
    member.landline = "0477-8888888"
    member.save()
    response = _send(
        api,
        "patch",
        "/profile",
        {"email": "zhang@example.com", "city_code": "150600", "marketing_sms": True},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "zhang@example.com" and body["landline"] == "0477-8888888"
    assert body["city"] == {"code": "150600", "name": "鄂尔多斯市"}
    assert body["marketing_sms"] is True
    assert list(member.consents.values_list("granted", flat=True)) == [True]
    response = _send(api, "patch", "/profile", {"email": None, "city_code": ""})
    assert (response.json()["email"], response.json()["city"]) == (None, None)


def test_patch_changes_the_username_once(client):
    user = member_create(mobile="13812345678", password=DEFAULT_PASSWORD)
    client.force_login(user)
    response = _send(client, "patch", "/profile", {"username": "xiaorong"})
    assert response.status_code == 200
    assert response.json()["username"] == "xiaorong"
    assert response.json()["username_changeable"] is False
    response = _send(client, "patch", "/profile", {"username": "another_name"})
    assert response.status_code == 409 and response.json()["code"] == "username_locked"


def test_a_bad_field_rolls_back_the_whole_patch(client, regions):
    user = member_create(mobile="13812345678", password=DEFAULT_PASSWORD)
    client.force_login(user)
    before = User.objects.filter(pk=user.pk).values().get()
    response = _send(
        client,
        "patch",
        "/profile",
        # A province where a city belongs: only the service can tell, after the new username.
        {"username": "xiaorong", "city_code": "150000", "marketing_sms": True},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "profile_invalid"
    assert User.objects.filter(pk=user.pk).values().get() == before
    assert user.consents.count() == 3


def test_an_unknown_city_code_is_refused(api, member):
    response = _send(api, "patch", "/profile", {"city_code": "999999"})
    assert response.status_code == 404 and response.json()["code"] == "unknown_region"


def test_address_list_is_default_first(api, book):
    response = api.get(f"{API}/addresses")
    assert [(a["recipient"], a["is_default"]) for a in response.json()] == [
        ("张三", True),
        ("李四", False),
    ]


def test_adding_an_address(api, member, regions):
    response = _send(
        api,
        "post",
        "/addresses",
        {
            "recipient": "王五",
            "phone": "13900000005",
            "province_code": "110000",
            "city_code": "110100",
            "district_code": "110101",
            "detail": "东长安街 1 号",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": Address.objects.get(user=member).pk,
        "recipient": "王五",
        "phone": "13900000005",
        "province": {"code": "110000", "name": "北京市"},
        "city": {"code": "110100", "name": "北京市"},
        "district": {"code": "110101", "name": "东城区"},
        "detail": "东长安街 1 号",
        "postcode": "",
        "is_default": True,
    }


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"district_code": "999999"}, 404, "unknown_region"),
        ({"city_code": "150600"}, 400, "address_invalid"),  # not a city of 北京
        ({"phone": "12345"}, 422, "invalid_input"),
        ({"recipient": "  "}, 422, "invalid_input"),
    ],
)
def test_bad_address_input_writes_nothing(api, regions, changes, status, code):
    body = {
        "recipient": "王五",
        "phone": "13900000005",
        "province_code": "110000",
        "city_code": "110100",
        "district_code": "110101",
        "detail": "东长安街 1 号",
        **changes,
    }
    response = _send(api, "post", "/addresses", body)
    assert response.status_code == status and response.json()["code"] == code
    assert Address.objects.count() == 0


def test_patch_default_and_delete_an_address(api, member, book):
    first, second = book
    response = _send(api, "patch", f"/addresses/{second.pk}", {"detail": "新地址 2 号"})
    assert response.json()["detail"] == "新地址 2 号" and response.json()["recipient"] == "李四"
    response = _send(api, "post", f"/addresses/{second.pk}/default")
    assert response.json()["is_default"] is True
    assert list(Address.objects.filter(is_default=True)) == [second]
    response = _send(api, "delete", f"/addresses/{second.pk}")
    assert response.status_code == 204
    assert list(Address.objects.filter(is_default=True)) == [first]


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("patch", ""), ("delete", ""), ("post", "/default")],
)
def test_another_members_address_is_404_and_unchanged(client, book, method, suffix):
    client.force_login(UserFactory())
    target = book[1]
    before = Address.objects.filter(pk=target.pk).values().get()
    response = _send(client, method, f"/addresses/{target.pk}{suffix}", {"detail": "x"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Address.objects.filter(pk=target.pk).values().get() == before
    assert Address.objects.count() == 2


def test_export_is_the_members_data(api, member, book):
    body = api.get(f"{API}/export").json()
    expected = user_export_data(user=member)
    body.pop("exported_at")
    expected.pop("exported_at")
    assert body == expected
    assert [a["recipient"] for a in body["addresses"]] == ["张三", "李四"]


def test_close_with_a_wrong_password_changes_nothing(api, member, book):
    before = User.objects.filter(pk=member.pk).values().get()
    response = _send(api, "post", "/close", {"password": "Wrong#2026"})
    assert response.status_code == 403 and response.json()["code"] == "password_incorrect"
    assert User.objects.filter(pk=member.pk).values().get() == before
    assert Address.objects.count() == 2


def test_close_anonymises_and_ends_the_session(api, member, book):
    ConsentRecord.objects.create(user=member, purpose="terms", granted=True)
    response = _send(api, "post", "/close", {"password": DEFAULT_PASSWORD})
    assert response.json() == {"closed": True}
    closed = User.objects.get(pk=member.pk)
    assert (closed.username, closed.mobile, closed.is_active) == (
        f"closed_{member.pk}",
        None,
        False,
    )
    assert Address.objects.count() == 0 and ConsentRecord.objects.count() == 1
    assert api.get(f"{API}/profile").status_code == 401


def test_the_openapi_document_lists_the_member_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/member/profile",
        "/api/member/addresses",
        "/api/member/addresses/{address_id}",
        "/api/member/addresses/{address_id}/default",
        "/api/member/export",
        "/api/member/close",
        "/api/regions/{code}/children",
    } <= set(paths)


def test_an_app_reaches_the_member_api_with_its_bearer_token(member):
    from django.test import Client

    from rongcheng.accounts.tokens import api_token_create

    _, key = api_token_create(user=member, name="iPhone")
    response = Client().get("/api/member/profile", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and response.json()["username"] == member.username
    assert Client().get("/api/member/profile").status_code == 401


@pytest.mark.parametrize("body", ["[null, null]", '"x"', "1", "null"])
def test_a_body_that_is_not_a_json_object_is_refused(api, member, body):
    before = User.objects.filter(pk=member.pk).values().get()
    response = api.patch(f"{API}/profile", data=body, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    assert User.objects.filter(pk=member.pk).values().get() == before


def test_a_body_that_is_not_json_is_refused_with_a_stable_code(api, member):
    response = api.patch(f"{API}/profile", data="\x00", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "code": "malformed_body",
        "message": "请求内容无法解析，请发送 JSON 对象。",
    }


def test_a_body_field_with_a_nul_character_is_refused(api, member):
    before = User.objects.filter(pk=member.pk).values().get()
    response = _send(api, "patch", "/profile", {"real_name": "张\x00三"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    assert User.objects.filter(pk=member.pk).values().get() == before
