import pytest
from playwright.sync_api import expect


@pytest.mark.django_db(transaction=True)
def test_home_shows_header_footer_and_switches_language(page):
    page.goto(page.base_url + "/")
    expect(page.locator(".logo")).to_contain_text("绒城购")
    expect(page.locator(".licence")).to_contain_text("统一社会信用代码")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(page.base_url + "/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
