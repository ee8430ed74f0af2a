"""Writes to what operations arrange on the home page and on category pages (ADM-7).

Every change purges the `cms` scope after commit: the home page and its areas block, and the
category pages whose side blocks show the category-top ads and the promotion notices.
Nothing here is deleted while something else still refers to it.
"""

from typing import TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from rongcheng.cms.errors import InUse
from rongcheng.cms.models import (
    Ad,
    AdSlot,
    DisplayTemplate,
    HomeArea,
    HomeVideo,
    PromotionNotice,
)
from rongcheng.core import image_variants
from rongcheng.seo.purge import purge_cms

Arranged = TypeVar("Arranged", bound=models.Model)


def _save(item: Arranged) -> Arranged:
    with transaction.atomic():
        item.save()
        purge_cms()
    return item


def _delete(item: models.Model) -> None:
    with transaction.atomic():
        item.delete()
        purge_cms()


def display_template_save(*, template: DisplayTemplate) -> DisplayTemplate:
    return _save(template)


def display_template_delete(*, template: DisplayTemplate) -> None:
    if HomeArea.objects.filter(template=template).exists():
        raise InUse(_("还有首页区域使用这个展示模板，不能删除。"))
    _delete(template)


def ad_slot_save(*, slot: AdSlot) -> AdSlot:
    return _save(slot)


def ad_slot_delete(*, slot: AdSlot) -> None:
    """A slot goes only when empty: its ads would silently go with it."""
    if HomeArea.objects.filter(ad_slot=slot).exists():
        raise InUse(_("还有首页区域使用这个广告位，不能删除。"))
    if Ad.objects.filter(slot=slot).exists():
        raise InUse(_("广告位下还有广告，请先删除或移走这些广告。"))
    _delete(slot)


def ad_save(*, ad: Ad) -> Ad:
    """Save an ad; the WebP variants its pictures lack are written after the commit."""
    lacking = [
        field for field in ("image", "image_en") if image_variants.take_stock(ad, field, "banner")
    ]
    with transaction.atomic():
        _save(ad)
        for field in lacking:
            image_variants.write_after_commit(ad, field, "banner")
    return ad


def ad_delete(*, ad: Ad) -> None:
    _delete(ad)


def home_area_save(*, area: HomeArea) -> HomeArea:
    """Create or change an area; its pinned products are saved with it."""
    return _save(area)


def home_area_delete(*, area: HomeArea) -> None:
    _delete(area)


def home_video_save(*, video: HomeVideo) -> HomeVideo:
    return _save(video)


def home_video_delete(*, video: HomeVideo) -> None:
    _delete(video)


def promotion_notice_save(*, notice: PromotionNotice) -> PromotionNotice:
    return _save(notice)


def promotion_notice_delete(*, notice: PromotionNotice) -> None:
    _delete(notice)
