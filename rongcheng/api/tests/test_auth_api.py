import pytest
from django.test import Client

from rongcheng.accounts.models import ApiToken, ConsentRecord, SmsCode, User
from rongcheng.core.testing.factories import DEFAULT_PASSWORD
from rongcheng.notifications.models import SandboxSms
from rongcheng.notifications.testing import last_sms_code

pytestmark = pytest.mark.django_db

MOBILE = "13811112222"
PASSWORD = "Cashmere#2026"


def post(client, path, payload, **extra):
    return client.post(f"/api/auth/{path}", payload, content_type="application/json", **extra)


@pytest.fixture
def code_for(client, committed):
    def code_for(mobile, purpose):
        with committed():
            response = post(client, "sms-codes", {"mobile": mobile, "purpose": purpose})
        assert response.status_code == 200, response.json()
        return last_sms_code(mobile)

    return code_for


def register_payload(code, **overrides):
    return {
        "mobile": MOBILE,
        "sms_code": code,
        "password": PASSWORD,
        "accept_terms": True,
        "accept_privacy": True,
    } | overrides


# --- SMS codes ------------------------------------------------------------------------------


def test_sms_code_request(client, committed):
    with committed():
        response = post(client, "sms-codes", {"mobile": MOBILE, "purpose": "register"})
    assert response.status_code == 200
    assert response.json() == {
        "message": "验证码已发送，请注意查收短信，10 分钟内有效。",
        "resend_after": 60,
    }
    assert SandboxSms.objects.get().mobile == MOBILE
    assert SmsCode.objects.get().ip_address == "127.0.0.1"


@pytest.mark.parametrize(
    ("trusted", "recorded"),
    [
        (0, "127.0.0.1"),  # no proxy: the header is the client's own word, ignored
        (1, "1.180.3.4"),  # behind nginx: the entry nginx appended, not the forged one
    ],
)
def test_sms_code_request_records_the_client_address(client, settings, trusted, recorded):
    settings.RONGCHENG = {**settings.RONGCHENG, "TRUSTED_PROXY_COUNT": trusted}
    response = post(
        client,
        "sms-codes",
        {"mobile": MOBILE, "purpose": "register"},
        HTTP_X_FORWARDED_FOR="6.6.6.6, 1.180.3.4",
    )
    assert response.status_code == 200
    assert SmsCode.objects.get().ip_address == recorded


def test_second_request_within_a_minute_is_refused(client):
    post(client, "sms-codes", {"mobile": MOBILE, "purpose": "register"})
    response = post(client, "sms-codes", {"mobile": MOBILE, "purpose": "register"})
    assert response.status_code == 429
    assert response.json()["code"] == "sms_rate_limited"
    assert response.json()["message"].startswith("获取验证码过于频繁，请 ")
    assert SmsCode.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"mobile": "12345678901", "purpose": "register"}, 422, "invalid_input"),
        ({"mobile": MOBILE, "purpose": "change_password"}, 422, "invalid_input"),
        ({"mobile": MOBILE}, 422, "invalid_input"),
        ({"mobile": "138111122223", "purpose": "register"}, 422, "invalid_input"),
    ],
)
def test_bad_code_requests_write_nothing(client, payload, status, code):
    response = post(client, "sms-codes", payload)
    assert response.status_code == status
    assert response.json()["code"] == code and response.json()["message"]
    assert SmsCode.objects.count() == 0


@pytest.mark.parametrize("purpose", ["reset_password", "login"])
def test_answers_do_not_reveal_whether_a_number_is_registered(client, member, committed, purpose):
    answers = []
    for mobile in (member.mobile, MOBILE):
        with committed():
            first = post(client, "sms-codes", {"mobile": mobile, "purpose": purpose})
        second = post(client, "sms-codes", {"mobile": mobile, "purpose": purpose})
        answers.append((first.status_code, first.json(), second.status_code, second.json()))
    assert answers[0] == answers[1]
    assert answers[0][0] == 200 and answers[0][2] == 429
    assert list(SandboxSms.objects.values_list("mobile", flat=True)) == [member.mobile]


# --- Register -------------------------------------------------------------------------------


def test_register_for_an_app_returns_a_token(client, code_for):
    code = code_for(MOBILE, "register")
    response = post(
        client, "register", register_payload(code, marketing_sms=True, device="小米 14")
    )
    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(mobile=MOBILE)
    assert body["user"] == {
        "id": user.pk,
        "username": user.username,
        "display_name": user.username,
        "mobile": MOBILE,
        "email": None,
        "real_name": "",
    }
    assert ApiToken.objects.get().name == "小米 14"
    assert dict(user.consents.values_list("purpose", "granted")) == {
        "terms": True,
        "privacy": True,
        "marketing_sms": True,
    }
    me = Client().get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.status_code == 200 and me.json()["mobile"] == MOBILE


def test_register_for_the_web_signs_the_session_in(client, code_for):
    code = code_for(MOBILE, "register")
    response = post(client, "register", register_payload(code, mode="session"))
    assert response.status_code == 201 and response.json()["token"] is None
    assert ApiToken.objects.count() == 0
    assert client.get("/api/auth/me").json()["mobile"] == MOBILE


@pytest.mark.parametrize(
    ("overrides", "status", "code"),
    [
        ({"accept_privacy": False}, 400, "consent_required"),
        ({"sms_code": "000000x"}, 422, "invalid_input"),
        ({"sms_code": "999999"}, 403, "invalid_sms_code"),
        ({"password": "12345678"}, 400, "password_invalid"),
        ({"mode": "cookie"}, 422, "invalid_input"),
    ],
)
def test_refused_registration_writes_nothing(client, code_for, overrides, status, code):
    real = code_for(MOBILE, "register")
    if overrides.get("sms_code") == "999999" and real == "999999":
        overrides["sms_code"] = "999998"
    response = post(client, "register", register_payload(real, **overrides))
    assert response.status_code == status
    assert response.json()["code"] == code
    assert User.objects.count() == 0 and ConsentRecord.objects.count() == 0
    assert ApiToken.objects.count() == 0


# --- Login, me, logout ----------------------------------------------------------------------


def test_login_with_password_returns_a_token(client, member):
    response = post(
        client, "login", {"identifier": member.username.upper(), "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert token.startswith("rc_")
    me = Client().get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.json()["id"] == member.pk and me.json()["display_name"] == "张三"


def test_login_with_sms_code(client, member, code_for):
    code = code_for(member.mobile, "login")
    response = post(client, "login", {"mobile": member.mobile, "sms_code": code, "mode": "session"})
    assert response.status_code == 200 and response.json()["user"]["id"] == member.pk
    assert client.get("/api/auth/me").status_code == 200
    again = post(Client(), "login", {"mobile": member.mobile, "sms_code": code})
    assert again.status_code == 403 and again.json()["code"] == "invalid_sms_code"


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"identifier": "13900000000"},
        {"identifier": "13900000000", "password": "x", "mobile": "13900000000", "sms_code": "1"},
    ],
)
def test_login_needs_exactly_one_way(client, member, payload):
    response = post(client, "login", payload)
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


def test_wrong_password_is_refused(client, member):
    response = post(client, "login", {"identifier": member.mobile, "password": "wrong"})
    assert response.status_code == 401
    assert response.json() == {"code": "invalid_credentials", "message": "账号或密码不正确。"}
    assert ApiToken.objects.count() == 0


def test_api_logins_are_locked_after_five_failures(client, member):
    payload = {"identifier": member.mobile, "password": "wrong"}
    statuses = [post(client, "login", payload).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    right = {"identifier": member.mobile, "password": DEFAULT_PASSWORD}
    response = post(client, "login", right)
    assert response.status_code == 429
    assert response.json() == {
        "code": "login_locked",
        "message": "登录失败次数过多，账号已临时锁定，请 15 分钟后再试或通过短信找回密码。",
    }
    assert post(client, "login", right, REMOTE_ADDR="10.7.7.7").status_code == 200


def test_token_login_records_the_login_and_clears_failures(client, member):
    wrong = {"identifier": member.mobile, "password": "wrong"}
    right = {"identifier": member.mobile, "password": DEFAULT_PASSWORD}
    for _ in range(4):
        post(client, "login", wrong)
    assert post(client, "login", right).status_code == 200
    member.refresh_from_db()
    assert member.last_login is not None
    assert [post(client, "login", wrong).status_code for _ in range(4)] == [401] * 4


def test_me_needs_a_member(client):
    response = client.get("/api/auth/me")
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "请先登录。"}
    bad = client.get("/api/auth/me", HTTP_AUTHORIZATION="Bearer rc_not-a-token")
    assert bad.status_code == 401


def test_logout_revokes_the_token(client, member):
    token = post(client, "login", {"identifier": member.mobile, "password": DEFAULT_PASSWORD})
    header = {"HTTP_AUTHORIZATION": f"Bearer {token.json()['token']}"}
    assert client.post("/api/auth/logout", **header).status_code == 204
    assert ApiToken.objects.count() == 0
    assert client.get("/api/auth/me", **header).status_code == 401


def test_logout_ends_the_session(client, member):
    post(
        client,
        "login",
        {"identifier": member.mobile, "password": DEFAULT_PASSWORD, "mode": "session"},
    )
    assert client.get("/api/auth/me").status_code == 200
    assert client.post("/api/auth/logout").status_code == 204
    assert client.get("/api/auth/me").status_code == 401


def test_session_writes_need_the_csrf_token(member):
    browser = Client(enforce_csrf_checks=True)
    login = {"identifier": member.mobile, "password": DEFAULT_PASSWORD, "mode": "session"}
    refused = post(browser, "login", login)
    assert refused.status_code == 403
    assert refused.json() == {"code": "csrf_failed", "message": "页面已过期，请刷新后重试。"}

    browser.get("/login/")  # a page sets the CSRF cookie, as in the browser
    csrf = {"HTTP_X_CSRFTOKEN": browser.cookies["csrftoken"].value}
    assert post(browser, "login", login, **csrf).status_code == 200
    assert browser.get("/api/auth/me").status_code == 200  # reads need no token
    assert browser.post("/api/auth/logout").status_code == 403
    csrf = {"HTTP_X_CSRFTOKEN": browser.cookies["csrftoken"].value}  # rotated at login
    assert browser.post("/api/auth/logout", **csrf).status_code == 204


def test_apps_need_no_csrf_token(member):
    app = Client(enforce_csrf_checks=True)
    response = post(app, "login", {"identifier": member.mobile, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    header = {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}
    assert app.post("/api/auth/logout", **header).status_code == 204
