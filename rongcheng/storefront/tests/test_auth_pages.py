"""Sign-up, sign-in, password recovery and account security pages."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from rongcheng.accounts.models import ConsentRecord, SmsCode, User
from rongcheng.accounts.passwords import SECURITY_QUESTIONS, security_question_set
from rongcheng.core.testing.factories import DEFAULT_PASSWORD, UserFactory
from rongcheng.notifications.models import SandboxSms
from rongcheng.notifications.testing import last_sms_code

pytestmark = pytest.mark.django_db

NEW = "13811112222"
NEW_PASSWORD = "Pashmina&2027"


@pytest.fixture(autouse=True)
def _fast_and_fresh(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def send_code(client, django_capture_on_commit_callbacks):
    """Press "获取验证码" on a page (without JavaScript) and return the page it answers."""

    def send_code(url, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"action": "send_code", **data}, **extra)

    return send_code


def html(response) -> str:
    return response.content.decode()


def comparable(response) -> str:
    """The page without what differs on every render (CSRF tokens) or per number typed."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html(response))
    return re.sub(r'value="1\d{10}"', "", text)


# --- Register -------------------------------------------------------------------------------


def test_register_page_offers_the_code_button(client):
    page = html(client.get(reverse("storefront:register")))
    assert 'name="sms_code"' in page
    assert 'name="action" value="send_code"' in page and "获取验证码" in page
    assert "storefront/js/sms-code.js" in page


@pytest.mark.parametrize("name", ["storefront:login", "storefront:register"])
def test_sign_in_pages_load_the_frame_s_stylesheet_alone(client, name):
    head = html(client.get(reverse(name))).split("</head>")[0]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)">', head) == [
        "/static/storefront/css/site.css"
    ]


def test_register_page_links_the_documents_it_asks_to_accept(client):
    page = html(client.get(reverse("storefront:register")))
    for field, address, title in (
        ("accept_terms", "/terms/", "《用户协议》"),
        ("accept_privacy", "/privacy/", "《隐私政策》"),
    ):
        label = re.search(
            rf'<label class="checkbox"><input type="checkbox" name="{field}".*?</label>', page
        )
        assert label is not None, field
        assert f'<a href="{address}" target="_blank" rel="noopener">{title}</a>' in label.group()
        assert client.get(address).status_code == 200


def test_send_code_without_javascript_keeps_the_form(client, send_code):
    url = reverse("storefront:register")
    response = send_code(url, {"mobile": NEW, "marketing_sms": "on"})
    assert response.status_code == 200
    page = html(response)
    assert "验证码已发送，请注意查收短信，10 分钟内有效。" in page
    assert f'value="{NEW}"' in page
    assert re.search(r'<input type="checkbox" name="marketing_sms"[^>]* checked>', page)
    assert "field-error" not in page  # the rest of the form is not judged yet
    assert SandboxSms.objects.get().mobile == NEW


def test_send_code_for_the_page_script_answers_json(client, send_code):
    url = reverse("storefront:register")
    first = send_code(url, {"mobile": NEW}, HTTP_ACCEPT="application/json")
    assert first.json() == {
        "code": "ok",
        "message": "验证码已发送，请注意查收短信，10 分钟内有效。",
        "resend_after": 60,
    }
    again = send_code(url, {"mobile": NEW}, HTTP_ACCEPT="application/json")
    assert again.status_code == 429 and again.json()["code"] == "sms_rate_limited"
    assert SmsCode.objects.count() == 1


def test_send_code_to_a_bad_number_shows_why(client, send_code):
    response = send_code(reverse("storefront:register"), {"mobile": "123"})
    assert "请输入 11 位中国大陆手机号。" in html(response)
    assert SmsCode.objects.count() == 0


def test_register_with_the_code(client, send_code):
    url = reverse("storefront:register")
    send_code(url, {"mobile": NEW})
    response = client.post(
        url,
        {
            "mobile": NEW,
            "sms_code": last_sms_code(NEW),
            "password": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "accept_terms": "on",
            "accept_privacy": "on",
        },
    )
    assert response.status_code == 302 and response.url == reverse("storefront:member")
    user = User.objects.get(mobile=NEW)
    assert client.session["_auth_user_id"] == str(user.pk)


def test_register_with_a_wrong_code_writes_nothing(client, send_code):
    url = reverse("storefront:register")
    send_code(url, {"mobile": NEW})
    wrong = f"{(int(last_sms_code(NEW)) + 1) % 10**6:06d}"
    response = client.post(
        url,
        {
            "mobile": NEW,
            "sms_code": wrong,
            "password": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "accept_terms": "on",
            "accept_privacy": "on",
        },
    )
    assert response.status_code == 200
    assert "验证码错误或已失效，请重新获取。" in html(response)
    assert User.objects.count() == 0 and ConsentRecord.objects.count() == 0


# --- Sign in by SMS -------------------------------------------------------------------------


def test_sign_in_with_an_sms_code(client, member, send_code):
    url = reverse("storefront:login") + "?mode=sms"
    page = html(client.get(url))
    assert "短信验证码登录" in page and 'name="sms_code"' in page
    send_code(url, {"mobile": member.mobile, "mode": "sms"})
    response = client.post(
        url, {"mobile": member.mobile, "sms_code": last_sms_code(member.mobile), "mode": "sms"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_sms_sign_in_page_answers_alike_for_any_number(client, member, send_code):
    url = reverse("storefront:login") + "?mode=sms"
    known = send_code(url, {"mobile": member.mobile, "mode": "sms"})
    unknown = send_code(url, {"mobile": NEW, "mode": "sms"})
    assert "如该手机号已注册，您将收到一条验证码短信" in html(known)
    assert comparable(known) == comparable(unknown)
    assert list(SandboxSms.objects.values_list("mobile", flat=True)) == [member.mobile]


# --- Recover --------------------------------------------------------------------------------


def test_recover_by_sms(client, member, send_code):
    url = reverse("storefront:password_forgot")
    send_code(url, {"mobile": member.mobile})
    response = client.post(
        url,
        {
            "mobile": member.mobile,
            "sms_code": last_sms_code(member.mobile),
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert response.redirect_chain == [(reverse("storefront:login"), 302)]
    assert "密码已重置，请使用新密码登录。" in html(response)
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_recover_by_sms_answers_alike_for_any_number(client, member, send_code):
    url = reverse("storefront:password_forgot")
    pages = [comparable(send_code(url, {"mobile": mobile})) for mobile in (member.mobile, NEW)]
    assert pages[0] == pages[1]
    pages = [comparable(send_code(url, {"mobile": mobile})) for mobile in (member.mobile, NEW)]
    assert pages[0] == pages[1] and "获取验证码过于频繁" in pages[0]


def test_recover_by_emailed_link(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="wang@example.com")
    url = reverse("storefront:password_forgot_email")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "wang@example.com"}, follow=True)
    unknown = client.post(url, {"email": "nobody@example.com"}, follow=True)
    assert "如该邮箱已注册，重置链接已发送到该邮箱" in html(known)
    assert comparable(known) == comparable(unknown)
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/password/reset/[^/]+/[^/]+/)", message.body).group(1)

    assert client.get(link).status_code == 200
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("storefront:login")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    used = client.get(link)
    assert used.status_code == 400 and "重置链接无效或已过期" in html(used)


@pytest.fixture
def with_question(member):
    security_question_set(
        user=member, password=DEFAULT_PASSWORD, question=SECURITY_QUESTIONS[1], answer="张大山"
    )
    return member


def test_recover_by_security_question(client, with_question):
    url = reverse("storefront:password_forgot_question")
    step2 = client.post(url, {"step": "lookup", "identifier": with_question.mobile})
    assert "您父亲的姓名是？" in html(step2)
    wrong = client.post(
        url,
        {
            "step": "answer",
            "identifier": with_question.mobile,
            "answer": "张小山",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert "密保答案不正确。" in html(wrong) and "您父亲的姓名是？" in html(wrong)
    right = client.post(
        url,
        {
            "step": "answer",
            "identifier": with_question.mobile,
            "answer": " 张 大山 ",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert right.status_code == 302
    with_question.refresh_from_db()
    assert with_question.check_password(NEW_PASSWORD)


def test_unknown_account_is_asked_a_question_too(client):
    url = reverse("storefront:password_forgot_question")
    page = html(client.post(url, {"step": "lookup", "identifier": "nobody"}))
    assert sum(question in page for question in SECURITY_QUESTIONS) == 1


# --- Buyer center ---------------------------------------------------------------------------


def test_security_pages_need_sign_in(client):
    for name in ("storefront:member_password", "storefront:member_security_question"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("storefront:login"))


@pytest.mark.parametrize(
    "name", ["storefront:member_password", "storefront:member_security_question"]
)
def test_security_pages_render(client, member, name, django_assert_max_num_queries):
    client.force_login(member)
    # Session, user, the visitor's city, the header's store-membership check, category
    # menu (cached after the first page) and bag count.
    with django_assert_max_num_queries(6):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_change_password_with_sms_code(client, member, send_code):
    client.force_login(member)
    url = reverse("storefront:member_password")
    assert "短信验证码（139****0000）" in html(client.get(url))
    sent = send_code(url, {"channel": "sms"})
    assert "验证码已发送至 139****0000，请注意查收短信。" in html(sent)
    response = client.post(
        url,
        {
            "channel": "sms",
            "code": last_sms_code(member.mobile),
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert "密码已修改，其他设备需要重新登录。" in html(response)
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(member.pk)  # this browser stays signed in
    assert client.get(url).status_code == 200


def test_change_password_with_emailed_code(client, send_code):
    user = UserFactory(email="li@example.com")
    client.force_login(user)
    url = reverse("storefront:member_password")
    assert "邮箱验证码（li***@example.com）" in html(client.get(url))
    send_code(url, {"channel": "email"})
    code = re.search(r"验证码为 (\d{6})", mail.outbox[0].body).group(1)
    response = client.post(
        url,
        {
            "channel": "email",
            "code": code,
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_change_password_refused_shows_why_and_changes_nothing(client, member, send_code):
    client.force_login(member)
    url = reverse("storefront:member_password")
    send_code(url, {"channel": "sms"})
    response = client.post(
        url,
        {
            "channel": "sms",
            "code": last_sms_code(member.mobile),
            "old_password": "not-my-password",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert "当前密码不正确，请重新获取验证码后再试。" in html(response)
    member.refresh_from_db()
    assert member.check_password(DEFAULT_PASSWORD)


def test_set_security_question(client, member):
    client.force_login(member)
    url = reverse("storefront:member_security_question")
    assert "未设置" in html(client.get(url))
    refused = client.post(
        url, {"question": SECURITY_QUESTIONS[0], "answer": "张梅", "password": "wrong"}
    )
    assert "登录密码不正确。" in html(refused)
    response = client.post(
        url,
        {"question": SECURITY_QUESTIONS[0], "answer": "张梅", "password": DEFAULT_PASSWORD},
        follow=True,
    )
    assert "密保问题已保存。" in html(response)
    assert "已设置：您母亲的姓名是？" in html(response)
