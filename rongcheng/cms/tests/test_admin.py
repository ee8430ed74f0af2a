"""The home page's back office writes through cms.services: a change retires the cached
home page after commit, and what other records use is not deleted."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from rongcheng.cms.errors import InUse
from rongcheng.cms.models import Ad, AdSlot, DisplayTemplate, HomeArea, PromotionNotice
from rongcheng.cms.services import ad_slot_delete, display_template_delete
from rongcheng.seo.page_cache import HEADER

pytestmark = pytest.mark.django_db

# A fixed moment, so that the notice's window does not depend on when the test runs.
NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def notices_area(db):
    template = DisplayTemplate.objects.create(
        name="公告列表", layout=DisplayTemplate.Layout.LIST, columns=1, rows=5
    )
    return HomeArea.objects.create(
        title="促销公告", kind=HomeArea.Kind.NOTICES, template=template, position=1
    )


@pytest.fixture
def banner_slot(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    slot = AdSlot.objects.create(code="home-banner", name="首页大图")
    Ad.objects.create(
        slot=slot,
        title="双十一",
        image=SimpleUploadedFile("a.jpg", b"x", content_type="image/jpeg"),
        starts_at=NOW,
        ends_at=NOW + datetime.timedelta(days=1),
    )
    return slot


def test_a_notice_added_in_the_back_office_shows_on_the_cached_home_page_at_once(
    client, admin_client, regions, notices_area, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False):
        client.get("/")
        assert client.get("/")[HEADER] == "hit"
        local = timezone.localtime(NOW)
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                reverse("admin:cms_promotionnotice_add"),
                {
                    "title": "会员日全场九折",
                    "body": "每月 8 日",
                    "starts_at_0": local.date().isoformat(),
                    "starts_at_1": "00:00:00",
                    "ends_at_0": (local.date() + datetime.timedelta(days=7)).isoformat(),
                    "ends_at_1": "00:00:00",
                    "is_active": "on",
                },
            )
        assert response.status_code == 302, response.content.decode()[:3000]
        page = client.get("/")
    assert page[HEADER] == "miss"
    assert "会员日全场九折" in page.content.decode()


def test_a_change_in_the_list_purges_too(
    client, admin_client, regions, notices_area, django_capture_on_commit_callbacks
):
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:cms_homearea_changelist"),
            {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-0-id": notices_area.id,
                "form-0-position": "7",
                "_save": "保存",
            },
        )
    assert response.status_code == 302
    assert HomeArea.objects.get(id=notices_area.id).position == 7
    assert client.get("/")[HEADER] == "miss"


def test_a_slot_with_ads_and_a_template_in_use_are_not_deleted(
    admin_client, notices_area, banner_slot
):
    with pytest.raises(InUse):
        ad_slot_delete(slot=banner_slot)
    with pytest.raises(InUse):
        display_template_delete(template=notices_area.template)

    response = admin_client.post(
        reverse("admin:cms_adslot_delete", args=[banner_slot.id]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "广告位下还有广告，请先删除或移走这些广告。"
    ]
    assert Ad.objects.filter(slot=banner_slot).count() == 1
    assert DisplayTemplate.objects.count() == 1


def test_a_notice_is_deleted_through_its_service(
    client, admin_client, regions, notices_area, django_capture_on_commit_callbacks
):
    notice = PromotionNotice.objects.create(
        title="旧公告", body="-", starts_at=NOW, ends_at=NOW + datetime.timedelta(days=1)
    )
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:cms_promotionnotice_delete", args=[notice.id]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not PromotionNotice.objects.exists()
    assert client.get("/")[HEADER] == "miss"
