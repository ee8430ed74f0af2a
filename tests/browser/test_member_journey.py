"""The foundation journey: register with an SMS code, log in, add an address, switch city."""

import re

import pytest
from playwright.sync_api import expect

from rongcheng.accounts.models import Address, User
from rongcheng.notifications.models import SandboxSms

MOBILE = "13912340000"
PASSWORD = "Cashmere#2026"


def _latest_code(mobile: str) -> str:
    message = SandboxSms.objects.filter(mobile=mobile).latest("sent_at")
    return re.search(r"\d{6}", message.content).group()


@pytest.mark.django_db(transaction=True)
def test_register_login_add_address_and_switch_city(page, regions):
    base = page.base_url
    page.goto(base + "/register/")
    page.fill("#id_mobile", MOBILE)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("[data-code-notice]")).to_contain_text("验证码")
    page.fill("#id_sms_code", _latest_code(MOBILE))
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_accept_terms")
    page.check("#id_accept_privacy")
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("注册成功")
    assert User.objects.filter(mobile=MOBILE).exists()

    page.get_by_role("button", name="退出").click()
    page.goto(base + "/login/")
    page.fill("#id_identifier", MOBILE)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator(".hello")).to_be_visible()

    page.goto(base + "/member/addresses/new/")
    page.fill("#id_recipient", "李绒绒")
    page.fill("#id_phone", MOBILE)
    # Each choice reloads the region fieldset through htmx; wait for that swap to settle.
    for select, value in (("#id_province", "150000"), ("#id_city", "150600")):
        with page.expect_response(lambda r: "/member/addresses/new/" in r.url):
            page.select_option(select, value)
        expect(
            page.locator("#region-fields.htmx-settling, #region-fields.htmx-request")
        ).to_have_count(0)
    page.select_option("#id_district", "150602")
    expect(page.locator("#id_district")).to_have_value("150602")
    page.fill("#id_detail", "鄂尔多斯西街 1 号")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("body")).to_contain_text("鄂尔多斯西街 1 号")
    address = Address.objects.get(user__mobile=MOBILE)
    assert (address.district_id, address.is_default) == ("150602", True)

    page.goto(base + "/city/")
    page.fill("main input[name=q]", "eeds")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="鄂尔多斯市").click()
    expect(page.locator(".city-switch")).to_contain_text("鄂尔多斯市")
