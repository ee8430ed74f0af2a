from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from rongcheng.accounts.models import User
from rongcheng.regions.models import Region

DEFAULT_PASSWORD = "Cashmere#2026"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:04d}")
    mobile = factory.Sequence(lambda n: f"1370000{n:04d}")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RegionTreeFactory:
    ROWS = [
        ("150000", "内蒙古自治区", 1, None, "111.765618", "40.817498", "neimenggu", "nmg"),
        ("150600", "鄂尔多斯市", 2, "150000", "109.781327", "39.608266", "eerduosi", "eeds"),
        ("150602", "东胜区", 3, "150600", "109.963333", "39.822593", "dongsheng", "ds"),
        ("110000", "北京市", 1, None, "116.407394", "39.904211", "beijing", "bj"),
        ("110100", "北京市", 2, "110000", "116.407394", "39.904211", "beijing", "bj"),
        ("110101", "东城区", 3, "110100", "116.41649", "39.928341", "dongcheng", "dc"),
    ]

    @classmethod
    def create_tree(cls) -> dict[str, Region]:
        created = {}
        for code, name, level, parent, lng, lat, pinyin, initials in cls.ROWS:
            created[code] = Region.objects.create(
                code=code,
                name=name,
                level=level,
                parent=created.get(parent),
                longitude=Decimal(lng),
                latitude=Decimal(lat),
                pinyin=pinyin,
                initials=initials,
            )
        return created
