import pytest
from playwright.sync_api import expect

from rongcheng.api.urls import api


@pytest.mark.django_db(transaction=True)
def test_api_docs_render_with_no_outside_host_reachable(page):
    outside = []

    def only_the_platform(route):
        if route.request.url.startswith(page.base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_platform)
    page.goto(page.base_url + "/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("绒城购 API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    operations = [op for path in api.get_openapi_schema()["paths"].values() for op in path]
    assert page.locator(".opblock").count() == len(operations)
    assert outside == []
