"""我的收藏 (FAV-1): keep a product or a store from its page, folders of one's own, moving
items between folders, price drops and sold-out marks. Members only, their own favorites."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rongcheng.core.errors import ApplicationError
from rongcheng.favorites.selectors import (
    MARKS_MAX,
    favorite_marks,
    member_favorites,
    member_folders,
)
from rongcheng.favorites.services import (
    favorite_add,
    favorite_remove,
    favorites_move,
    folder_create,
    folder_delete,
    folder_rename,
)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def _back(request, fallback: str):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@login_required
def favorites(request):
    folders = member_folders(owner=request.user)
    folder_id = _int(request.GET.get("folder"))
    current = next((folder for folder in folders if folder.id == folder_id), None)
    page = member_favorites(
        owner=request.user,
        folder_id=current.id if current else None,
        page=request.GET.get("page", "1"),
    )
    return render(
        request,
        "member/favorites.html",
        {"section": "favorites", "folders": folders, "current": current, "page": page},
    )


@never_cache
@require_GET
def favorite_marks_view(request):
    """Which cards of a page the member keeps, asked once per page by card-favorites.js (the
    cards are on cached pages, so they carry no one's marks); anonymous visitors get none."""
    ids = [pk for pk in map(_int, request.GET.get("ids", "").split(",")[:MARKS_MAX]) if pk]
    marks = (
        favorite_marks(owner=request.user, product_ids=ids) if request.user.is_authenticated else {}
    )
    return JsonResponse(
        {"favorites": {str(product): favorite for product, favorite in marks.items()}}
    )


@login_required
@require_http_methods(["GET", "POST"])
def favorite_add_view(request):
    """The product and store pages post here (they are cached and carry no token: the page's
    script adds it). A visitor sent to log in first comes back with GET and confirms."""
    source = request.POST if request.method == "POST" else request.GET
    product_id, store_id = _int(source.get("product")), _int(source.get("store"))
    if request.method == "GET":
        return render(
            request,
            "member/favorite_confirm.html",
            {"product_id": product_id, "store_id": store_id, "next": source.get("next", "")},
        )
    try:
        favorite_add(owner=request.user, product_id=product_id, store_id=store_id)
        messages.success(request, _("已加入收藏夹。"))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return _back(request, "storefront:member_favorites")


@login_required
@require_POST
def favorite_remove_view(request, favorite_id: int):
    try:
        favorite_remove(owner=request.user, favorite_id=favorite_id)
        messages.success(request, _("已取消收藏。"))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return _back(request, "storefront:member_favorites")


@login_required
@require_POST
def favorites_move_view(request):
    ids = [pk for pk in (_int(v) for v in request.POST.getlist("item")) if pk is not None]
    folder_id = _int(request.POST.get("folder"))
    try:
        if not ids or folder_id is None:
            messages.error(request, _("请选择要移动的收藏和目标收藏夹。"))
        else:
            moved = favorites_move(owner=request.user, favorite_ids=ids, folder_id=folder_id)
            messages.success(request, _("已移动 %(n)s 件收藏。") % {"n": moved})
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return _back(request, "storefront:member_favorites")


@login_required
@require_POST
def folder_action(request):
    """新建, 重命名 or 删除 a folder, by the button pressed."""
    action = request.POST.get("action", "")
    name = request.POST.get("name", "")
    folder_id = _int(request.POST.get("folder"))
    try:
        if action == "create":
            folder = folder_create(owner=request.user, name=name)
            messages.success(request, _("已新建收藏夹“%(name)s”。") % {"name": folder.name})
        elif action == "rename" and folder_id is not None:
            folder = folder_rename(owner=request.user, folder_id=folder_id, name=name)
            messages.success(request, _("收藏夹已改名为“%(name)s”。") % {"name": folder.name})
        elif action == "delete" and folder_id is not None:
            folder_delete(owner=request.user, folder_id=folder_id)
            messages.success(request, _("收藏夹已删除，其中的收藏移回默认收藏夹。"))
            return redirect("storefront:member_favorites")
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return _back(request, "storefront:member_favorites")
