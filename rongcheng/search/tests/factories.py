"""A small shop window to search: two category branches, two brands, key attributes, a
store and a fulfillment center, indexed by the real rebuild."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from rongcheng.catalog.models import (
    Attribute,
    AttributeOption,
    Category,
    Product,
    ProductAttributeValue,
)
from rongcheng.catalog.tests.factories import (
    BrandFactory,
    CategoryFactory,
    ProductTypeFactory,
    make_product,
)
from rongcheng.core.dates import local_day
from rongcheng.search.services import index_rebuild
from rongcheng.stores.models import Store
from rongcheng.stores.tests.factories import StoreFactory


@dataclass
class Shelf:
    women: Category
    sweaters: Category
    coats: Category
    accessories: Category
    scarves: Category
    collar: Attribute
    knit: Attribute
    origin: Attribute
    turtleneck: Product  # 女士高领羊绒衫
    cardigan: Product  # 女士圆领羊绒开衫
    coat: Product  # 山羊绒双面大衣
    scarf: Product  # 羊绒围巾
    pullover: Product  # 女士高领羊毛衫
    retired: Product  # inactive
    store: Store
    warehouse: Store


def _values(product: Product, **chosen: tuple[Attribute, str]) -> None:
    for attribute, value in chosen.values():
        option = attribute.options.filter(value=value).first()
        ProductAttributeValue.objects.create(
            product=product, attribute=attribute, option=option, value="" if option else value
        )


def build_shelf(regions) -> Shelf:
    sweater_type = ProductTypeFactory(name="羊绒衫")
    collar = Attribute.objects.create(product_type=sweater_type, name="领型", is_key=True)
    for position, value in enumerate(["高领", "圆领", "V领"]):
        AttributeOption.objects.create(attribute=collar, value=value, position=position)
    knit = Attribute.objects.create(product_type=sweater_type, name="针法", is_key=True, position=1)
    for position, value in enumerate(["粗针", "细针"]):
        AttributeOption.objects.create(attribute=knit, value=value, position=position)
    origin = Attribute.objects.create(product_type=sweater_type, name="产地", position=2)

    women = CategoryFactory(name="女装", product_type=sweater_type, position=1)
    sweaters = CategoryFactory(name="女士羊绒衫", parent=women, position=1)
    coats = CategoryFactory(name="女士大衣", parent=women, position=2)
    accessories = CategoryFactory(name="配饰", position=2)
    scarves = CategoryFactory(name="围巾", parent=accessories, is_recommended=True)
    erdos = BrandFactory(name="鄂尔多斯", name_latin="ERDOS")
    rongcheng = BrandFactory(name="绒城", name_latin="RONGCHENG")
    today = local_day()

    turtleneck = make_product(
        name="女士高领羊绒衫",
        subtitle="Cashmere sweater 温暖贴身",
        category=sweaters,
        brand=erdos,
        price=Decimal("1280.00"),
        sales_count=50,
        launch_date=today - datetime.timedelta(days=30),
        colours=("驼色", "黑色"),
    )
    _values(turtleneck, a=(collar, "高领"), b=(knit, "粗针"), c=(origin, "内蒙古"))
    cardigan = make_product(
        name="女士圆领羊绒开衫",
        category=sweaters,
        brand=rongcheng,
        price=Decimal("980.00"),
        sales_count=80,
        launch_date=today - datetime.timedelta(days=10),
    )
    _values(cardigan, a=(collar, "圆领"), b=(knit, "细针"))
    pullover = make_product(
        name="女士高领羊毛衫",
        category=sweaters,
        brand=rongcheng,
        price=Decimal("680.00"),
        sales_count=50,
        launch_date=today - datetime.timedelta(days=5),
    )
    _values(pullover, a=(collar, "高领"), b=(knit, "细针"))
    coat = make_product(
        name="山羊绒双面大衣",
        subtitle="Cashmere coat",
        category=coats,
        brand=erdos,
        price=Decimal("3980.00"),
        sales_count=10,
        launch_date=today - datetime.timedelta(days=60),
    )
    scarf = make_product(
        name="羊绒围巾",
        description="<p>柔软的格纹围巾，可作披肩。</p>",
        category=scarves,
        brand=rongcheng,
        price=Decimal("480.00"),
        sales_count=200,
        launch_date=today - datetime.timedelta(days=90),
    )
    retired = make_product(
        name="高领羊绒衫旧款", category=sweaters, brand=erdos, is_active=False, sales_count=999
    )
    city = regions["150600"]
    warehouse = StoreFactory(name="鄂尔多斯发货中心", kind=Store.Kind.FULFILLMENT, city=city)
    store = StoreFactory(name="绒城购东胜直营店", city=city, address="东胜区鄂尔多斯西街 1 号")
    index_rebuild()
    return Shelf(
        women=women,
        sweaters=sweaters,
        coats=coats,
        accessories=accessories,
        scarves=scarves,
        collar=collar,
        knit=knit,
        origin=origin,
        turtleneck=turtleneck,
        cardigan=cardigan,
        coat=coat,
        scarf=scarf,
        pullover=pullover,
        retired=retired,
        store=store,
        warehouse=warehouse,
    )


COLLARS = ["高领", "圆领", "V领", "荷叶领", None]  # 荷叶领 is no option of the shelf's
KNITS = ["粗针", "细针", None]
PRICES = [Decimal("480.00"), Decimal("980.00"), Decimal("1680.00"), Decimal("3280.00")]


def add_sweaters(shelf: "Shelf") -> "Shelf":
    """The shelf and 60 sweaters of chosen collars, knits, brands and prices (fixed seed)."""
    rng = random.Random(8)
    brands = [shelf.turtleneck.brand, shelf.cardigan.brand]
    for n in range(60):
        collar, knit = rng.choice(COLLARS), rng.choice(KNITS)
        product = make_product(
            name=f"{collar or ''}{knit or ''}羊绒衫 {n}",
            category=rng.choice([shelf.sweaters, shelf.coats, shelf.scarves]),
            brand=rng.choice(brands),
            price=rng.choice(PRICES),
        )
        for attribute, value in ((shelf.collar, collar), (shelf.knit, knit)):
            if value is not None:
                option = attribute.options.filter(value=value).first()
                ProductAttributeValue.objects.create(
                    product=product,
                    attribute=attribute,
                    option=option,
                    value="" if option else value,
                )
    index_rebuild()
    return shelf
