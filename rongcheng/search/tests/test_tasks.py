import pytest

from rongcheng.catalog.models import Product
from rongcheng.catalog.tests.factories import ProductFactory
from rongcheng.search.models import SearchDocument
from rongcheng.search.services import product_index_update
from rongcheng.search.tasks import refresh_product_counters

pytestmark = pytest.mark.django_db


def test_the_periodic_job_copies_sales_into_the_index():
    product = ProductFactory(sales_count=3)
    product_index_update(product_ids=[product.pk])
    Product.objects.filter(pk=product.pk).update(sales_count=41)
    assert refresh_product_counters.delay().get() == 1
    assert SearchDocument.objects.get(object_id=product.pk).sales_count == 41
