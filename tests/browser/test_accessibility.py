"""axe-core (npm, the engine of Lighthouse's accessibility audits) finds nothing to fix on the
storefront's main pages, on a phone and on a PC."""

import pytest
from django.conf import settings

from rongcheng.catalog.models import Product
from rongcheng.core.testing.factories import RegionTreeFactory
from rongcheng.storefront.browse import category_url
from rongcheng.storefront.tests.browse_data import ORDOS, build_catalogue, build_home

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# Every rule of axe (WCAG 2.2 A and AA and its best practices), each violation as
# "rule: first offending elements".
RUN_AXE = """() => axe.run(document).then(result => result.violations.map(
    v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")))"""


@pytest.fixture
def mall(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RONGCHENG = {**settings.RONGCHENG, "DEFAULT_CITY_CODE": ORDOS}
    RegionTreeFactory.create_tree()
    mall = build_catalogue(12)
    build_home(mall)
    return mall


@pytest.mark.django_db(transaction=True)
def test_the_storefront_pages_have_no_accessibility_violations(page, mall):
    product = Product.objects.order_by("id").first()
    paths = [
        "/",
        category_url(mall.knit.id, mall.knit.name),
        f"/product/{product.id}/",
        "/search/?q=羊绒",
        "/stores/",
        "/en/",
        "/login/",
    ]
    engine = AXE.read_text()
    found = {}
    for path in paths:
        answer = page.goto(page.base_url + path)
        assert answer is not None and answer.status == 200, path
        # Evaluated through the browser's debugging protocol: the page's CSP does not apply.
        page.evaluate(engine)
        found[path] = page.evaluate(RUN_AXE)
    assert found == {path: [] for path in paths}
