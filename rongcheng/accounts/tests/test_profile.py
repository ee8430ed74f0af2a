import pytest
from django.urls import reverse

from rongcheng.accounts.errors import (
    ConsentRequired,
    IdentifierTaken,
    ProfileInvalid,
    UsernameInvalid,
    UsernameLocked,
)
from rongcheng.accounts.models import ConsentRecord, User
from rongcheng.accounts.selectors import consent_current
from rongcheng.accounts.services import (
    consent_set,
    member_create,
    user_change_username,
    user_update_profile,
    username_is_system,
)
from rongcheng.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

MARKETING = ConsentRecord.Purpose.MARKETING_SMS


@pytest.fixture
def newcomer(db):
    """A member as registration leaves them: a generated rc######## username."""
    return member_create(mobile="13812345678", password="Cashmere#2026")


def test_registration_gives_a_system_username_the_member_may_replace_once(newcomer):
    assert username_is_system(newcomer.username)
    user_change_username(user=newcomer, username="Cashmere_Fan")
    newcomer.refresh_from_db()
    assert newcomer.username == "Cashmere_Fan"
    with pytest.raises(UsernameLocked):
        user_change_username(user=newcomer, username="Another_Name")
    newcomer.refresh_from_db()
    assert newcomer.username == "Cashmere_Fan"


@pytest.mark.parametrize(
    ("username", "error"),
    [
        ("abc", UsernameInvalid),  # too short
        ("a" * 21, UsernameInvalid),  # too long
        ("9lives", UsernameInvalid),  # must start with a letter
        ("_under", UsernameInvalid),
        ("zhang@san", UsernameInvalid),  # looks like an e-mail
        ("张三丰abc", UsernameInvalid),  # letters are Latin only
        ("name-with-dash", UsernameInvalid),
        ("m13912345678", UsernameInvalid),  # carries a mobile number
        ("rc12345678", UsernameInvalid),  # the system's own pattern
        ("RC87654321", UsernameInvalid),
        ("closed_42", UsernameInvalid),  # reserved for closed accounts
        ("Closed_me", UsernameInvalid),
        ("TakenName", IdentifierTaken),  # another member has "takenname"
    ],
)
def test_username_rules_refuse_and_change_nothing(newcomer, username, error):
    UserFactory(username="takenname")
    before = newcomer.username
    with pytest.raises(error) as caught:
        user_change_username(user=newcomer, username=username)
    assert caught.value.field == "username"
    newcomer.refresh_from_db()
    assert newcomer.username == before


@pytest.mark.parametrize("username", ["abcd", "a" * 20, "Wang_Xiaorong_2026", "z1_2"])
def test_usernames_within_the_rules_are_accepted(newcomer, username):
    user_change_username(user=newcomer, username=f"  {username} ")
    assert User.objects.get(pk=newcomer.pk).username == username


def test_the_new_username_logs_in_in_any_case(newcomer, client):
    user_change_username(user=newcomer, username="cashmere_fan")
    response = client.post(
        reverse("storefront:login"), {"identifier": "Cashmere_Fan", "password": "Cashmere#2026"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(newcomer.pk)


def _profile(user, **changes):
    values = {
        "email": "wang@example.com",
        "real_name": "王小绒",
        "landline": "0477-8888888",
        "postcode": "017000",
        "city": None,
        **changes,
    }
    return user_update_profile(user=user, **values)


def test_update_profile_saves_every_field(member, regions):
    _profile(member, email=" Wang@Example.COM ", city=regions["150600"])
    member.refresh_from_db()
    assert (member.email, member.real_name, member.landline, member.postcode, member.city_id) == (
        "Wang@example.com",
        "王小绒",
        "0477-8888888",
        "017000",
        "150600",
    )


def test_an_empty_email_is_stored_as_null_so_many_members_may_have_none(member):
    other = UserFactory()
    _profile(member, email="")
    _profile(other, email="   ")
    assert User.objects.filter(email__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"postcode": "01700"}, "postcode"),
        ({"postcode": "01700a"}, "postcode"),
        ({"postcode": "０１７０００"}, "postcode"),  # full-width digits
        ({"landline": "88888888"}, "landline"),  # area code missing
        ({"real_name": "13900000000"}, "real_name"),
        ({"real_name": "名" * 51}, "real_name"),
    ],
)
def test_bad_profile_input_writes_nothing(member, changes, field):
    before = User.objects.filter(pk=member.pk).values().get()
    with pytest.raises(ProfileInvalid) as caught:
        _profile(member, marketing_sms=True, **changes)
    assert caught.value.field == field
    assert User.objects.filter(pk=member.pk).values().get() == before
    assert ConsentRecord.objects.count() == 0


def test_a_province_is_not_a_city(member, regions):
    with pytest.raises(ProfileInvalid):
        _profile(member, city=regions["150000"])
    member.refresh_from_db()
    assert member.city_id is None


def test_email_is_unique_ignoring_case(member):
    UserFactory(email="wang@example.com")
    with pytest.raises(IdentifierTaken) as caught:
        _profile(member, email="WANG@example.com")
    assert caught.value.field == "email"
    member.refresh_from_db()
    assert member.email is None


def test_names_with_a_middle_dot_are_real_names(member):
    _profile(member, real_name="阿依古丽·买买提")
    member.refresh_from_db()
    assert member.real_name == "阿依古丽·买买提"


def test_each_marketing_toggle_appends_a_record_and_the_latest_wins(newcomer):
    assert consent_current(user=newcomer, purpose=MARKETING) is False
    consent_set(user=newcomer, purpose=MARKETING, granted=True)
    consent_set(user=newcomer, purpose=MARKETING, granted=True)  # no change: no new record
    assert consent_current(user=newcomer, purpose=MARKETING) is True
    consent_set(user=newcomer, purpose=MARKETING, granted=False)
    assert consent_current(user=newcomer, purpose=MARKETING) is False
    history = list(
        ConsentRecord.objects.filter(user=newcomer, purpose=MARKETING)
        .order_by("created_at", "pk")
        .values_list("granted", flat=True)
    )
    assert history == [False, True, False]


def test_the_profile_form_toggle_goes_through_the_consent_log(member):
    _profile(member, marketing_sms=True)
    _profile(member, marketing_sms=True)
    _profile(member, marketing_sms=False)
    assert list(member.consents.order_by("pk").values_list("granted", flat=True)) == [True, False]


@pytest.mark.parametrize("purpose", [ConsentRecord.Purpose.TERMS, ConsentRecord.Purpose.PRIVACY])
def test_terms_and_privacy_consent_cannot_be_withdrawn_one_by_one(newcomer, purpose):
    with pytest.raises(ConsentRequired):
        consent_set(user=newcomer, purpose=purpose, granted=False)
    assert newcomer.consents.count() == 3


def _edit(user, **changes):
    values = {
        "username": None,
        "email": "wang@example.com",
        "real_name": "王小绒",
        "landline": "",
        "postcode": "017000",
        "city": None,
        "marketing_sms": True,
        **changes,
    }
    return user_update_profile(user=user, **values)


def test_update_profile_saves_the_new_username_and_the_fields_together(newcomer):
    _edit(newcomer, username="xiaorong")
    stored = User.objects.get(pk=newcomer.pk)
    assert (stored.username, stored.email, stored.real_name, stored.postcode) == (
        "xiaorong",
        "wang@example.com",
        "王小绒",
        "017000",
    )
    assert consent_current(user=newcomer, purpose=MARKETING) is True


def test_update_profile_keeps_a_username_sent_unchanged(newcomer):
    user_change_username(user=newcomer, username="xiaorong")
    _edit(newcomer, username="xiaorong", real_name="李四")  # a locked name sent back as is
    stored = User.objects.get(pk=newcomer.pk)
    assert (stored.username, stored.real_name) == ("xiaorong", "李四")


def test_a_refused_field_undoes_the_username_change(newcomer):
    UserFactory(email="wang@example.com")  # found taken after the username has changed
    before = User.objects.filter(pk=newcomer.pk).values().get()
    with pytest.raises(IdentifierTaken) as caught:
        _edit(newcomer, username="xiaorong", email="Wang@example.com")
    assert caught.value.field == "email"
    assert User.objects.filter(pk=newcomer.pk).values().get() == before
    assert consent_current(user=newcomer, purpose=MARKETING) is False


def test_a_taken_username_saves_none_of_the_fields(newcomer):
    UserFactory(username="takenname")
    before = User.objects.filter(pk=newcomer.pk).values().get()
    with pytest.raises(IdentifierTaken):
        _edit(newcomer, username="TakenName")
    assert User.objects.filter(pk=newcomer.pk).values().get() == before
    assert newcomer.consents.count() == 3
