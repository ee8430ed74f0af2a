import math
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rongcheng.core.testing.factories import UserFactory
from rongcheng.stores.access import access_store
from rongcheng.stores.errors import StoreAccessDenied, StoreClosed, StoreInvalid, StoreNotFound
from rongcheng.stores.geo import EARTH_RADIUS_KM, bounding_box, haversine_km
from rongcheng.stores.models import Store, StoreMembership
from rongcheng.stores.selectors import stores_in_city, stores_near
from rongcheng.stores.services import store_membership_set, store_save
from rongcheng.stores.tests.factories import StoreFactory, StoreMembershipFactory

pytestmark = pytest.mark.django_db

# Real places in Beijing (lat, lng).
WANGFUJING = (Decimal("39.914300"), Decimal("116.410900"))
SANLITUN = (Decimal("39.937300"), Decimal("116.455100"))
XIDAN = (Decimal("39.907700"), Decimal("116.373800"))
ZHONGGUANCUN = (Decimal("39.983500"), Decimal("116.316600"))
TONGZHOU = (Decimal("39.909400"), Decimal("116.656400"))


def _store(city, code, point, **extra):
    return StoreFactory(city=city, code=code, latitude=point[0], longitude=point[1], **extra)


def test_haversine_gives_the_known_distance_between_beijing_and_shanghai():
    assert round(haversine_km(39.9042, 116.4074, 31.2304, 121.4737)) == 1067


def _destination(lat, lng, bearing_deg, km):
    """The point km away from (lat, lng) on a bearing (spherical Earth)."""
    angle, bearing = km / EARTH_RADIUS_KM, math.radians(bearing_deg)
    phi, lam = math.radians(lat), math.radians(lng)
    phi2 = math.asin(
        math.sin(phi) * math.cos(angle) + math.cos(phi) * math.sin(angle) * math.cos(bearing)
    )
    lam2 = lam + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(phi),
        math.cos(angle) - math.sin(phi) * math.sin(phi2),
    )
    return math.degrees(phi2), math.degrees(lam2)


def test_the_bounding_box_is_the_tightest_box_around_the_circle():
    min_lat, max_lat, min_lng, max_lng = bounding_box(39.9, 116.4, 10)
    circle = [_destination(39.9, 116.4, tenth / 10, 10) for tenth in range(3600)]
    eps = 1e-9
    assert all(min_lat - eps <= lat <= max_lat + eps for lat, _lng in circle)
    assert all(min_lng - eps <= lng <= max_lng + eps for _lat, lng in circle)
    assert max(lng for _lat, lng in circle) == pytest.approx(max_lng, abs=1e-6)
    assert min(lat for lat, _lng in circle) == pytest.approx(min_lat, abs=1e-6)


def test_near_a_pole_the_box_takes_every_longitude():
    assert bounding_box(89.99, 10.0, 50)[2:] == (-180.0, 180.0)


def test_stores_near_a_point_come_nearest_first_within_the_radius(regions):
    beijing, ordos = regions["110100"], regions["150600"]
    sanlitun = _store(beijing, "bj-slt", SANLITUN)
    xidan = _store(beijing, "bj-xd", XIDAN)
    zgc = _store(beijing, "bj-zgc", ZHONGGUANCUN)
    tongzhou = _store(beijing, "bj-tz", TONGZHOU)
    _store(ordos, "eeds-1", (Decimal("39.608266"), Decimal("109.781327")))
    _store(beijing, "bj-closed", WANGFUJING, is_active=False)
    centre = _store(beijing, "bj-fc", WANGFUJING, kind=Store.Kind.FULFILLMENT)

    nearby = stores_near(latitude=WANGFUJING[0], longitude=WANGFUJING[1], radius_km=15)
    assert [item.store for item in nearby] == [xidan, sanlitun, zgc]
    assert [round(item.distance_km, 1) for item in nearby] == [3.2, 4.6, 11.1]
    assert centre not in [item.store for item in nearby]

    wide = stores_near(latitude=WANGFUJING[0], longitude=WANGFUJING[1], radius_km=50, limit=4)
    assert [item.store for item in wide] == [xidan, sanlitun, zgc, tongzhou]
    assert [
        i.store for i in stores_near(latitude=WANGFUJING[0], longitude=WANGFUJING[1], limit=1)
    ] == [xidan]


def test_stores_across_the_antimeridian_are_near_and_come_as_the_orm_reads_them(regions):
    beijing = regions["110100"]
    east = _store(beijing, "fj-e", (Decimal("-16.5"), Decimal("179.95")))
    _store(beijing, "fj-w", (Decimal("-16.5"), Decimal("-179.9")))
    _store(beijing, "far", (Decimal("-16.5"), Decimal("170")))
    for longitude in (179.99, -179.99):
        nearby = stores_near(latitude=-16.5, longitude=longitude, radius_km=30)
        assert {item.store.code for item in nearby} == {"fj-e", "fj-w"}
    nearby = stores_near(latitude=-16.5, longitude=179.99, radius_km=30)
    assert [(item.store.code, round(item.distance_km, 1)) for item in nearby] == [
        ("fj-e", 4.3),
        ("fj-w", 11.7),
    ]
    expected = Store.objects.select_related("city").get(id=east.id)
    with CaptureQueriesContext(connection) as reads:
        shown = nearby[0].store
        fields = [field.attname for field in Store._meta.concrete_fields]
        assert [getattr(shown, name) for name in fields] == [
            getattr(expected, name) for name in fields
        ]
        assert (shown.city.code, shown.city.name) == ("110100", expected.city.name)
    assert reads.captured_queries == []


def test_recommended_stores_only_when_asked(regions):
    beijing = regions["110100"]
    _store(beijing, "bj-xd", XIDAN)
    sanlitun = _store(beijing, "bj-slt", SANLITUN, is_recommended=True)
    nearby = stores_near(
        latitude=WANGFUJING[0], longitude=WANGFUJING[1], radius_km=20, recommended_only=True
    )
    assert [item.store for item in nearby] == [sanlitun]
    assert [s.code for s in stores_in_city(city_code="110100")] == ["bj-slt", "bj-xd"]
    assert stores_in_city(city_code="150600") == []


def test_a_store_must_be_in_a_city_and_franchise_a_needs_a_fulfillment_warehouse(regions):
    store = Store(
        code="x1",
        name="店",
        kind=Store.Kind.DIRECT,
        city=regions["150602"],  # a district
        address="a",
        latitude=Decimal("39.8"),
        longitude=Decimal("109.9"),
        phone="1",
    )
    with pytest.raises(StoreInvalid):
        store_save(store=store)
    store.city = regions["150600"]
    store.kind = Store.Kind.FRANCHISE_A
    with pytest.raises(StoreInvalid):
        store_save(store=store)
    store.warehouse = _store(regions["150600"], "fc", WANGFUJING, kind=Store.Kind.DIRECT)
    with pytest.raises(StoreInvalid):
        store_save(store=store)
    assert not Store.objects.filter(code="x1").exists()
    store.warehouse = _store(regions["150600"], "fc2", WANGFUJING, kind=Store.Kind.FULFILLMENT)
    assert store_save(store=store).pk is not None


def test_access_is_granted_to_active_staff_in_an_allowed_role_only(regions):
    store_a = _store(regions["150600"], "a", WANGFUJING)
    store_b = _store(regions["150600"], "b", WANGFUJING)
    clerk = StoreMembershipFactory(store=store_a, role=StoreMembership.Role.CLERK).user
    assert access_store(user=clerk, store_id=store_a.id) == store_a
    with pytest.raises(StoreAccessDenied):
        access_store(user=clerk, store_id=store_b.id)
    with pytest.raises(StoreAccessDenied):
        access_store(user=clerk, store_id=store_a.id, roles=[StoreMembership.Role.MANAGER])
    with pytest.raises(StoreNotFound):
        access_store(user=clerk, store_id=999999)
    store_membership_set(
        store=store_a, user=clerk, role=StoreMembership.Role.CLERK, is_active=False
    )
    with pytest.raises(StoreAccessDenied):
        access_store(user=clerk, store_id=store_a.id)


def test_an_operator_with_the_permission_may_act_for_any_store(regions):
    store = _store(regions["150600"], "a", WANGFUJING)
    operator = UserFactory(is_staff=True)
    with pytest.raises(StoreAccessDenied):
        access_store(user=operator, store_id=store.id)
    operator.user_permissions.add(Permission.objects.get(codename="act_for_any_store"))
    operator = type(operator).objects.get(pk=operator.pk)  # drop the permission cache
    assert access_store(user=operator, store_id=store.id) == store


def test_a_closed_store_is_refused_to_its_staff_and_to_operators(regions):
    store = _store(regions["150600"], "a", WANGFUJING, is_active=False)
    other = _store(regions["150600"], "b", WANGFUJING)
    manager = StoreMembershipFactory(store=store, role=StoreMembership.Role.MANAGER).user
    operator = UserFactory(is_staff=True)
    operator.user_permissions.add(Permission.objects.get(codename="act_for_any_store"))
    operator = type(operator).objects.get(pk=operator.pk)
    for user in (manager, operator):
        with pytest.raises(StoreClosed) as refused:
            access_store(user=user, store_id=store.id)
        assert refused.value.code == "store_closed"
    # Staff of another store learn only that they may not act for it, not that it closed.
    clerk_b = StoreMembershipFactory(store=other).user
    with pytest.raises(StoreAccessDenied) as refused:
        access_store(user=clerk_b, store_id=store.id)
    assert refused.value.code == "store_access_denied"
