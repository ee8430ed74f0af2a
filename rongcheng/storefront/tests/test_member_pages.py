import json
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from rongcheng.accounts.models import Address, ConsentRecord, User
from rongcheng.accounts.services import address_create, member_create
from rongcheng.core.dates import local_day
from rongcheng.core.testing.clock import AROUND_MIDNIGHT, next_midnight
from rongcheng.core.testing.factories import DEFAULT_PASSWORD, UserFactory
from rongcheng.regions.models import Region

pytestmark = pytest.mark.django_db


def _address(user, regions, **extra):
    return address_create(
        user=user,
        recipient=extra.pop("recipient", "张三"),
        phone="13900000000",
        province=regions["150000"],
        city=regions["150600"],
        district=regions["150602"],
        detail="鄂尔多斯西街 1 号",
        **extra,
    )


@pytest.fixture
def baotou(regions):
    """A second city of 内蒙古, so the province has more than one city to choose from."""
    return Region.objects.create(
        code="150200",
        name="包头市",
        level=Region.Level.CITY,
        parent=regions["150000"],
        longitude=Decimal("109.840405"),
        latitude=Decimal("40.658168"),
        pinyin="baotou",
        initials="bt",
    )


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def book(member, regions):
    """Three addresses; the first one is the default."""
    return [_address(member, regions, recipient=name) for name in ("张三", "李四", "王五")]


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("storefront:member", []),
        ("storefront:member_profile", []),
        ("storefront:member_addresses", []),
        ("storefront:member_address_new", []),
        ("storefront:member_address_edit", ["first"]),
        ("storefront:member_address_delete", ["first"]),
        ("storefront:member_privacy", []),
        ("storefront:member_close", []),
    ],
)
def test_member_pages_render_within_a_query_budget(
    signed_in, book, name, args, django_assert_max_num_queries
):
    url = reverse(name, args=[book[0].pk for _ in args])
    # Session, user, the visitor's city (looked up and remembered in the session on a first
    # visit), whether the member works for a store (the header's seller-center link), the
    # page's own rows, the three region selects of the address form, the category tree
    # of the header menu (cached after the first page) and the header's bag count.
    with django_assert_max_num_queries(13):
        response = signed_in.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for link in ("member", "member_addresses", "member_privacy"):
        assert f'href="{reverse("storefront:" + link)}"' in html


@pytest.mark.parametrize(
    "name", ["storefront:member", "storefront:member_addresses", "storefront:member_privacy"]
)
def test_member_pages_send_visitors_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("storefront:login"))


def test_the_address_list_shows_the_default_first_and_municipalities_once(
    signed_in, member, regions
):
    _address(member, regions, recipient="张三")
    address_create(
        user=member,
        recipient="李四",
        phone="13900000001",
        province=regions["110000"],
        city=regions["110100"],
        district=regions["110101"],
        detail="东长安街 1 号",
    )
    html = signed_in.get(reverse("storefront:member_addresses")).content.decode()
    assert html.index("张三") < html.index("李四")
    assert "北京市东城区 东长安街 1 号" in html
    assert "内蒙古自治区鄂尔多斯市东胜区 鄂尔多斯西街 1 号" in html


def test_profile_edit_saves_and_records_the_marketing_choice(signed_in, member, regions):
    response = signed_in.post(
        reverse("storefront:member_profile"),
        {
            "email": "zhang@example.com",
            "real_name": "张三",
            "landline": "0477-8888888",
            "postcode": "017000",
            "city": "150600",
            "marketing_sms": "on",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.email, member.postcode, member.city_id) == (
        "zhang@example.com",
        "017000",
        "150600",
    )
    assert list(member.consents.values_list("purpose", "granted")) == [("marketing_sms", True)]
    html = signed_in.get(reverse("storefront:member")).content.decode()
    assert "鄂尔多斯市" in html and "接收" in html


def test_profile_city_select_is_grouped_by_province(signed_in, regions):
    html = signed_in.get(reverse("storefront:member_profile")).content.decode()
    assert '<optgroup label="内蒙古自治区">' in html
    assert '<option value="150600">鄂尔多斯市</option>' in html


def test_bad_profile_input_writes_nothing(signed_in, member):
    before = User.objects.filter(pk=member.pk).values().get()
    response = signed_in.post(
        reverse("storefront:member_profile"),
        {"email": "bad", "real_name": "张三", "postcode": "123", "marketing_sms": "on"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "邮编为 6 位数字。" in html
    assert User.objects.filter(pk=member.pk).values().get() == before
    assert ConsentRecord.objects.count() == 0


def test_an_email_taken_by_another_member_is_refused_on_the_page(signed_in, member):
    UserFactory(email="zhang@example.com")
    response = signed_in.post(
        reverse("storefront:member_profile"), {"email": "ZHANG@example.com", "real_name": "张三"}
    )
    assert "该邮箱已被其他账号使用。" in response.content.decode()
    member.refresh_from_db()
    assert member.email is None


def test_username_can_be_changed_once_on_its_page(client):
    user = member_create(mobile="13812345678", password=DEFAULT_PASSWORD)
    client.force_login(user)
    home = client.get(reverse("storefront:member")).content.decode()
    assert reverse("storefront:member_username") in home
    response = client.post(reverse("storefront:member_username"), {"username": "rc12345678"})
    assert "该用户名为系统保留" in response.content.decode()
    response = client.post(reverse("storefront:member_username"), {"username": "xiaorong"})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).username == "xiaorong"
    assert client.get(reverse("storefront:member_username")).status_code == 302
    home = client.get(reverse("storefront:member")).content.decode()
    assert reverse("storefront:member_username") not in home


def test_choosing_a_province_lists_its_cities_by_get_parameter(signed_in, regions, baotou):
    html = signed_in.get(
        reverse("storefront:member_address_new") + "?province=150000"
    ).content.decode()
    assert '<option value="150000" selected>内蒙古自治区</option>' in html
    assert '<option value="150200">包头市</option>' in html
    assert '<option value="150600">鄂尔多斯市</option>' in html
    assert 'value="150602"' not in html  # the city is not chosen yet
    html = signed_in.get(
        reverse("storefront:member_address_new") + "?province=150000&city=150600"
    ).content.decode()
    assert '<option value="150602">东胜区</option>' in html


def test_a_municipality_chooses_its_only_city_by_itself(signed_in, regions):
    html = signed_in.get(
        reverse("storefront:member_address_new") + "?province=110000&city=150600"
    ).content.decode()
    assert '<option value="110100" selected>北京市</option>' in html
    assert '<option value="110101">东城区</option>' in html
    assert 'value="150602"' not in html and 'value="150600"' not in html


def test_the_refresh_button_without_javascript_keeps_input_and_writes_nothing(
    signed_in, member, regions, baotou
):
    response = signed_in.post(
        reverse("storefront:member_address_new"),
        {"recipient": "张三", "phone": "13900000000", "province": "150000", "refresh": "1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="张三"' in html and '<option value="150600">鄂尔多斯市</option>' in html
    assert "field-error" not in html
    assert Address.objects.count() == 0


def test_adding_an_address_through_the_form(signed_in, member, regions):
    response = signed_in.post(
        reverse("storefront:member_address_new"),
        {
            "recipient": "张三",
            "phone": "13900000000",
            "province": "150000",
            "city": "150600",
            "district": "150602",
            "detail": "鄂尔多斯西街 1 号",
            "postcode": "017000",
        },
    )
    assert response.status_code == 302
    address = Address.objects.get(user=member)
    assert (address.district_id, address.postcode, address.is_default) == ("150602", "017000", True)


def test_a_district_from_another_city_is_refused(signed_in, member, regions):
    response = signed_in.post(
        reverse("storefront:member_address_new"),
        {
            "recipient": "张三",
            "phone": "13900000000",
            "province": "150000",
            "city": "150600",
            "district": "110101",
            "detail": "x",
        },
    )
    assert response.status_code == 200 and "field-error" in response.content.decode()
    assert Address.objects.count() == 0


def test_editing_and_making_default_and_deleting(signed_in, member, book):
    _, second, third = book
    response = signed_in.post(
        reverse("storefront:member_address_edit", args=[third.pk]),
        {
            "recipient": "王五",
            "phone": "13900000009",
            "province": "150000",
            "city": "150600",
            "district": "150602",
            "detail": "新地址 9 号",
            "is_default": "on",
        },
    )
    assert response.status_code == 302
    third.refresh_from_db()
    assert (third.phone, third.detail, third.is_default) == ("13900000009", "新地址 9 号", True)
    signed_in.post(reverse("storefront:member_address_default", args=[second.pk]))
    assert list(Address.objects.filter(is_default=True)) == [second]
    signed_in.post(reverse("storefront:member_address_delete", args=[second.pk]))
    assert list(Address.objects.filter(is_default=True).values_list("pk", flat=True)) == [third.pk]


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("storefront:member_address_edit", "get"),
        ("storefront:member_address_edit", "post"),
        ("storefront:member_address_delete", "get"),
        ("storefront:member_address_delete", "post"),
        ("storefront:member_address_default", "post"),
    ],
)
def test_another_members_address_is_not_found_and_unchanged(client, regions, book, name, method):
    intruder = UserFactory()
    client.force_login(intruder)
    target = book[1]
    before = Address.objects.filter(pk=target.pk).values().get()
    data = {
        "recipient": "x",
        "phone": "13911111111",
        "province": "150000",
        "city": "150600",
        "district": "150602",
        "detail": "x",
        "is_default": "on",
    }
    response = getattr(client, method)(reverse(name, args=[target.pk]), data)
    assert response.status_code == 404
    assert Address.objects.filter(pk=target.pk).values().get() == before
    assert Address.objects.count() == 3


def test_data_download_is_the_members_json(signed_in, member, book):
    response = signed_in.get(reverse("storefront:member_export"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="rongcheng-')
    data = json.loads(response.content)
    assert data["profile"]["mobile"] == "13900000000"
    assert [a["recipient"] for a in data["addresses"]] == ["张三", "王五", "李四"]
    assert "张三" in response.content.decode()  # readable Chinese, not \\u escapes


@pytest.mark.parametrize(("offset", "days_after"), AROUND_MIDNIGHT)
def test_the_download_is_named_after_the_day_in_shanghai(signed_in, member, offset, days_after):
    today = local_day()
    with time_machine.travel(next_midnight() + offset, tick=False):
        response = signed_in.get(reverse("storefront:member_export"))
    day = today + timedelta(days=days_after)
    assert response["Content-Disposition"] == (
        f'attachment; filename="rongcheng-{member.pk}-{day:%Y%m%d}.json"'
    )


def test_closing_with_a_wrong_password_changes_nothing(signed_in, member, book):
    before = User.objects.filter(pk=member.pk).values().get()
    response = signed_in.post(
        reverse("storefront:member_close"), {"password": "Wrong#2026", "understood": "on"}
    )
    assert response.status_code == 200
    assert "密码不正确" in response.content.decode()
    assert User.objects.filter(pk=member.pk).values().get() == before
    assert Address.objects.count() == 3


def test_closing_needs_the_acknowledgement(signed_in, member):
    signed_in.post(reverse("storefront:member_close"), {"password": DEFAULT_PASSWORD})
    assert User.objects.get(pk=member.pk).is_active is True


def test_closing_anonymises_and_logs_out_every_session(signed_in, member, book):
    other_device = Client()
    other_device.force_login(member)
    response = signed_in.post(
        reverse("storefront:member_close"), {"password": DEFAULT_PASSWORD, "understood": "on"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("storefront:home")
    closed = User.objects.get(pk=member.pk)
    assert (closed.username, closed.mobile, closed.real_name) == (f"closed_{member.pk}", None, "")
    assert Address.objects.count() == 0
    for device in (signed_in, other_device):
        assert device.get(reverse("storefront:member")).status_code == 302
