"""The catalogue's back office writes through the services: brand and product changes purge
the pages that show them and re-index after commit, deletions are checked, and a product with
a history is taken off sale instead of deleted."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from rongcheng.catalog.errors import InUse
from rongcheng.catalog.models import (
    Attribute,
    AttributeOption,
    Audience,
    Brand,
    Product,
    ProductAttributeValue,
    Sku,
)
from rongcheng.catalog.services import audience_delete, brand_delete, product_delete
from rongcheng.catalog.tests.factories import (
    AudienceFactory,
    BrandFactory,
    ProductTypeFactory,
    make_product,
)
from rongcheng.catalog.tests.test_admin import _form_values
from rongcheng.inventory.services import listing_set, stock_receive
from rongcheng.search.models import SearchDocument
from rongcheng.search.selectors import quick_search
from rongcheng.search.services import product_index_update
from rongcheng.seo import generations
from rongcheng.seo.locations import CATALOGUE, CMS, LISTINGS, product_scope
from rongcheng.stores.tests.factories import StoreFactory, StoreMembershipFactory

pytestmark = pytest.mark.django_db


def _indexed(product: Product) -> SearchDocument | None:
    return SearchDocument.objects.filter(doc_type="product", object_id=product.id).first()


def _found(query: str) -> list[int]:
    """The products a shopper finds by this word."""
    return [hit.card.id for hit in quick_search(q=query).page.object_list]


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _stocked(product: Product, regions) -> None:
    """A store lists the product and holds some of it: the product has a history."""
    store = StoreFactory(city=regions["150600"])
    clerk = StoreMembershipFactory(store=store).user
    listing_set(actor=clerk, store_id=store.id, product_ids=[product.id], listed=True)
    stock_receive(actor=clerk, store_id=store.id, lines=[(product.skus.get().id, 2)])


def test_a_brand_saved_in_the_back_office_purges_the_catalogue_and_re_indexes_its_goods(
    admin_client, django_capture_on_commit_callbacks
):
    brand = BrandFactory(name="绒城", name_latin="Rongcheng")
    product = make_product(brand=brand)
    product_index_update(product_ids=[product.id])
    assert _found("Woolmark") == []
    before = generations.current([CATALOGUE])
    url = reverse("admin:catalog_brand_change", args=[brand.id])
    values = _form_values(admin_client.get(url))
    data = {key: value for key, value in values.items() if key != "logo"}
    data["name_latin"] = "Woolmark"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(url, data)
        assert generations.current([CATALOGUE]) == before  # not before the commit
    assert response.status_code == 302
    assert callbacks
    assert Brand.objects.get(id=brand.id).name_latin == "Woolmark"
    assert generations.current([CATALOGUE]) != before
    assert _found("Woolmark") == [product.id]


def test_a_brand_with_goods_cannot_be_deleted(admin_client):
    brand = BrandFactory(name="绒城")
    make_product(brand=brand)
    with pytest.raises(InUse):
        brand_delete(brand=brand)
    admin_client.post(reverse("admin:catalog_brand_delete", args=[brand.id]), {"post": "yes"})
    assert Brand.objects.filter(id=brand.id).exists()


def test_a_product_without_history_is_deleted_purged_and_leaves_the_index(
    admin_client, django_capture_on_commit_callbacks
):
    product = make_product()
    product_index_update(product_ids=[product.id])
    scopes = [product_scope(product.id), LISTINGS, CMS]
    before = generations.current(scopes)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:catalog_product_delete", args=[product.id]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Product.objects.filter(id=product.id).exists()
    assert not Sku.objects.filter(product_id=product.id).exists()
    assert _indexed(product) is None
    after = generations.current(scopes)
    assert all(old != new for old, new in zip(before, after, strict=True))


def test_a_product_with_history_is_taken_off_sale_not_deleted(
    admin_client, regions, django_capture_on_commit_callbacks
):
    product = make_product(name="圆领羊绒衫")
    _stocked(product, regions)
    product_index_update(product_ids=[product.id])
    url = reverse("admin:catalog_product_delete", args=[product.id])

    page = admin_client.get(url)
    assert page.status_code == 200
    assert "不能删除" in page.content.decode()
    assert Product.objects.get(id=product.id).is_active  # showing the page changed nothing

    before = generations.current([product_scope(product.id)])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:catalog_product_change", args=[product.id])
    assert _messages(response) == ["“圆领羊绒衫”已有门店上架或库存记录，未删除，已停售。"]
    product.refresh_from_db()
    assert product.is_active is False
    assert product.skus.count() == 1
    assert _indexed(product) is None
    assert generations.current([product_scope(product.id)]) != before


def test_the_service_takes_a_product_with_history_off_sale(regions):
    product = make_product()
    _stocked(product, regions)
    assert product_delete(product=product) is False
    assert Product.objects.get(id=product.id).is_active is False
    bare = make_product()
    assert product_delete(product=bare) is True
    assert not Product.objects.filter(id=bare.id).exists()


def test_no_bulk_delete_skips_the_services(admin_client):
    product = make_product()
    response = admin_client.post(
        reverse("admin:catalog_product_changelist"),
        {"action": "delete_selected", "_selected_action": [product.id], "post": "yes"},
    )
    assert response.status_code == 302
    assert Product.objects.filter(id=product.id, is_active=True).exists()


def test_an_attribute_products_use_is_kept_when_its_row_is_deleted_from_the_type(
    admin_client,
):
    """The type's page deletes attribute rows through attribute_delete, which refuses."""
    kind = ProductTypeFactory(name="毛衫")
    used = Attribute.objects.create(product_type=kind, name="含绒量", unit="%")
    product = make_product(product_type=kind)
    ProductAttributeValue.objects.create(product=product, attribute=used, value="95")
    url = reverse("admin:catalog_producttype_change", args=[kind.id])
    data = _form_values(admin_client.get(url)) | {"attributes-0-DELETE": "on"}

    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == url
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "还有商品填写了这个属性，不能删除。"
    ]
    assert ProductAttributeValue.objects.filter(attribute=used).count() == 1


def test_an_attribute_renamed_re_indexes_the_products_of_its_type(
    admin_client, django_capture_on_commit_callbacks
):
    kind = ProductTypeFactory(name="毛衫")
    attribute = Attribute.objects.create(product_type=kind, name="产地")
    option = AttributeOption.objects.create(attribute=attribute, value="鄂尔多斯")
    product = make_product(product_type=kind)
    ProductAttributeValue.objects.create(product=product, attribute=attribute, option=option)
    product_index_update(product_ids=[product.id])
    assert _found("Mongolia") == []
    url = reverse("admin:catalog_attribute_change", args=[attribute.id])
    data = _form_values(admin_client.get(url)) | {"options-0-value": "Inner Mongolia"}

    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302
    assert _found("Mongolia") == [product.id]


def test_an_audience_in_use_is_not_deleted(admin_client):
    audience = AudienceFactory()
    BrandFactory().audiences.add(audience)
    with pytest.raises(InUse):
        audience_delete(audience=audience)
    response = admin_client.post(
        reverse("admin:catalog_audience_delete", args=[audience.id]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert Audience.objects.filter(id=audience.id).exists()
