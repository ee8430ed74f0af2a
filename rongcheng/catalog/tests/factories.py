"""Catalogue factories; categories go through category_save so the cached tree stays true."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from rongcheng.catalog.models import Audience, Brand, Category, Product, ProductType, Sku
from rongcheng.catalog.services import category_save, product_price_refresh
from rongcheng.core.dates import local_day


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"类目{n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return category_save(category=model_class(*args, **kwargs))


class AudienceFactory(DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ["code"]

    code = "women"
    name = "女士"


class BrandFactory(DjangoModelFactory):
    class Meta:
        model = Brand

    name = factory.Sequence(lambda n: f"品牌{n}")


class ProductTypeFactory(DjangoModelFactory):
    class Meta:
        model = ProductType

    name = factory.Sequence(lambda n: f"类型{n}")


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    style_code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"羊绒衫{n}")
    category = factory.SubFactory(CategoryFactory)
    brand = factory.SubFactory(BrandFactory)
    launch_date = factory.LazyFunction(local_day)


class SkuFactory(DjangoModelFactory):
    class Meta:
        model = Sku

    product = factory.SubFactory(ProductFactory)
    code = factory.Sequence(lambda n: f"SKU{n:06d}")
    colour = "驼色"
    size = factory.Sequence(lambda n: f"S{n}")
    price = Decimal("1280.00")


def make_product(
    *,
    price: Decimal = Decimal("1280.00"),
    colours: tuple[str, ...] = ("驼色",),
    sizes: tuple[str, ...] = ("M",),
    launch_date: datetime.date | None = None,
    **fields,
) -> Product:
    """A product with one SKU per colour × size at `price`, its list price refreshed."""
    if launch_date is not None:
        fields["launch_date"] = launch_date
    product = ProductFactory(**fields)
    variants = [(colour, size) for colour in colours for size in sizes]
    for position, (colour, size) in enumerate(variants):
        SkuFactory(product=product, colour=colour, size=size, price=price, position=position)
    product_price_refresh(product_ids=[product.id])
    product.refresh_from_db()
    return product
