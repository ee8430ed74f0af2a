from decimal import Decimal

import pytest

from rongcheng.fulfillment.calculations import FeeRule, FeeTemplate, shipping_fee_fen
from rongcheng.fulfillment.errors import FeeRuleInvalid
from rongcheng.fulfillment.models import ShippingFeeRule, ShippingFeeTemplate
from rongcheng.fulfillment.selectors import active_fee_template
from rongcheng.fulfillment.services import fee_rule_delete, fee_rule_save, fee_template_save

DEFAULT = FeeRule(None, 1000, 1000, 500, 300, 99900)
INNER_MONGOLIA = FeeRule("150000", 1000, 800, 500, 200, None)
BEIJING_CITY = FeeRule("110100", 1000, 1200, 1000, 600, 50000)
BY_WEIGHT = FeeTemplate(True, (DEFAULT, INNER_MONGOLIA, BEIJING_CITY))


def fee(template, *, province="440000", city="440100", grams=0, pieces=1, goods=10000):
    return shipping_fee_fen(
        template,
        province_code=province,
        city_code=city,
        weight_grams=grams,
        pieces=pieces,
        goods_fen=goods,
    )


@pytest.mark.parametrize(
    ("grams", "expected"),
    [(0, 1000), (1000, 1000), (1001, 1300), (1500, 1300), (1501, 1600), (3200, 2500)],
)
def test_first_weight_then_every_started_step(grams, expected):
    assert fee(BY_WEIGHT, grams=grams) == expected


def test_the_city_rule_beats_the_province_rule_beats_the_default():
    assert fee(BY_WEIGHT, province="150000", city="150600", grams=1600) == 800 + 2 * 200
    assert fee(BY_WEIGHT, province="110000", city="110100", grams=1600) == 1200 + 600
    assert fee(BY_WEIGHT, province="110000", city="110100", grams=1600, goods=50000) == 0


def test_free_shipping_from_the_threshold_and_by_piece_count():
    assert fee(BY_WEIGHT, goods=99899) == 1000
    assert fee(BY_WEIGHT, goods=99900) == 0
    by_piece = FeeTemplate(False, (FeeRule(None, 1, 1000, 2, 500, None),))
    assert [fee(by_piece, pieces=n) for n in (1, 2, 3, 4)] == [1000, 1500, 1500, 2000]


def test_no_template_or_no_rule_for_the_region_ships_free():
    assert fee(None, grams=5000) == 0
    assert fee(FeeTemplate(True, (INNER_MONGOLIA,)), grams=5000) == 0


@pytest.mark.django_db
def test_operators_keep_one_active_template_with_valid_rules(regions):
    first = fee_template_save(
        template=ShippingFeeTemplate(name="冬季", basis="weight", is_active=True)
    )
    fee_rule_save(
        rule=ShippingFeeRule(
            template=first,
            first_units=1000,
            first_fee=Decimal("10.00"),
            additional_units=500,
            additional_fee=Decimal("3.00"),
            free_threshold=Decimal("999.00"),
        )
    )
    with pytest.raises(FeeRuleInvalid):
        fee_rule_save(
            rule=ShippingFeeRule(
                template=first,
                region=regions["150602"],  # a district
                first_units=1000,
                first_fee=Decimal("10.00"),
                additional_units=500,
                additional_fee=Decimal("3.00"),
            )
        )
    with pytest.raises(FeeRuleInvalid):
        fee_rule_save(
            rule=ShippingFeeRule(
                template=first,
                region=regions["150000"],
                first_units=1000,
                first_fee=Decimal("-1.00"),
                additional_units=500,
                additional_fee=Decimal("3.00"),
            )
        )
    assert active_fee_template() == FeeTemplate(True, (FeeRule(None, 1000, 1000, 500, 300, 99900),))
    second = fee_template_save(
        template=ShippingFeeTemplate(name="夏季", basis="piece", is_active=True)
    )
    assert list(ShippingFeeTemplate.objects.filter(is_active=True)) == [second]
    assert active_fee_template() is None  # the new template has no rule yet


@pytest.mark.django_db
def test_the_active_template_is_read_from_the_cache_until_a_service_changes_it(
    regions, django_assert_num_queries
):
    template = fee_template_save(
        template=ShippingFeeTemplate(name="冬季", basis="piece", is_active=True)
    )
    rule = fee_rule_save(
        rule=ShippingFeeRule(
            template=template,
            first_units=1,
            first_fee=Decimal("12.00"),
            additional_units=1,
            additional_fee=Decimal("5.00"),
        )
    )
    with django_assert_num_queries(1):
        assert active_fee_template() == FeeTemplate(False, (FeeRule(None, 1, 1200, 1, 500, None),))
    with django_assert_num_queries(0):
        assert active_fee_template() == FeeTemplate(False, (FeeRule(None, 1, 1200, 1, 500, None),))

    rule.first_fee = Decimal("15.00")
    fee_rule_save(rule=rule)
    assert active_fee_template() == FeeTemplate(False, (FeeRule(None, 1, 1500, 1, 500, None),))
    fee_rule_delete(rule=rule)
    assert active_fee_template() is None
    template.is_active = False
    fee_template_save(template=template)
    assert active_fee_template() is None
    with django_assert_num_queries(0):
        assert active_fee_template() is None  # "nothing active" is cached too
