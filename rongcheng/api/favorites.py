"""我的收藏 for the app and the mini-program (FAV-1): folders, favorites with the price now,
the drop since they were kept and sold-out marks, moving between folders."""

from datetime import datetime

from ninja import Field, Query, Router, Schema, Status

from rongcheng.api.auth import member_auth
from rongcheng.api.contract import NOT_BLANK, BodyIn, Id, Integer, Yuan, errors
from rongcheng.favorites.selectors import (
    FavoriteRow,
    member_favorite,
    member_favorites,
    member_folders,
)
from rongcheng.favorites.services import (
    NAME_MAX,
    favorite_add,
    favorite_remove,
    favorites_move,
    folder_create,
    folder_delete,
    folder_rename,
)

router = Router(tags=["favorites"], auth=member_auth)


class FolderOut(Schema):
    id: int
    name: str
    is_default: bool
    count: int


class FavoriteOut(Schema):
    id: int
    folder_id: int
    kind: str = Field(description="product 或 store")
    product_id: int | None
    store_id: int | None
    name: str
    thumbnail_url: str
    price: Yuan | None = Field(description="现价（含生效中的特价）")
    saved_price: Yuan | None = Field(description="收藏时价格")
    price_drop: Yuan = Field(description="比收藏时便宜多少（未降价为 0.00）")
    sold_out: bool
    created_at: datetime


class FavoritePageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[FavoriteOut]


class FavoriteQuery(Schema):
    folder_id: int | None = Field(None, ge=1)
    page: int = Field(1, ge=1)


class FolderIn(BodyIn):
    name: str = Field(max_length=NAME_MAX, pattern=NOT_BLANK)


class FavoriteIn(BodyIn):
    """Exactly one of the two."""

    product_id: Integer | None = None
    store_id: Integer | None = None


class MoveIn(BodyIn):
    favorite_ids: list[Integer] = Field(min_length=1, max_length=100)
    folder_id: Integer


class MovedOut(Schema):
    moved: int


def _favorite(row: FavoriteRow) -> dict:
    return {
        "id": row.id,
        "folder_id": row.folder_id,
        "kind": "product" if row.product_id else "store",
        "product_id": row.product_id,
        "store_id": row.store.id if row.store else None,
        "name": row.name,
        "thumbnail_url": row.thumbnail_url,
        "price": row.price.amount if row.price else None,
        "saved_price": row.saved_price,
        "price_drop": row.price_drop,
        "sold_out": row.sold_out,
        "created_at": row.created_at,
    }


def _folder(request, folder_id: Id) -> FolderOut:
    return next(f for f in member_folders(owner=request.user) if f.id == folder_id)


@router.get("/folders", response=list[FolderOut], summary="我的收藏夹（默认收藏夹在前）")
def folder_list(request):
    return member_folders(owner=request.user)


@router.post("/folders", response={201: FolderOut, **errors(409)}, summary="新建收藏夹")
def folder_add(request, payload: FolderIn):
    """409 `folder_invalid`: the name is taken or blank, or the member has 20 folders."""
    folder = folder_create(owner=request.user, name=payload.name)
    return Status(201, _folder(request, folder.id))


@router.patch(
    "/folders/{folder_id}", response={200: FolderOut, **errors(404, 409)}, summary="重命名收藏夹"
)
def folder_change(request, folder_id: Id, payload: FolderIn):
    """409 `folder_invalid`: the default folder keeps its name, or the name is taken."""
    folder_rename(owner=request.user, folder_id=folder_id, name=payload.name)
    return _folder(request, folder_id)


@router.delete(
    "/folders/{folder_id}",
    response={204: None, **errors(404, 409)},
    summary="删除收藏夹（其中的收藏移回默认收藏夹）",
)
def folder_remove(request, folder_id: Id):
    """409 `folder_invalid`: the default folder cannot be deleted."""
    folder_delete(owner=request.user, folder_id=folder_id)
    return Status(204, None)


@router.get("", response=FavoritePageOut, summary="我的收藏（全部或一个收藏夹，最新在前）")
def favorite_list(request, query: Query[FavoriteQuery]):
    page = member_favorites(owner=request.user, folder_id=query.folder_id, page=query.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_favorite(row) for row in page.object_list],
    }


@router.post(
    "", response={201: FavoriteOut, **errors(404)}, summary="收藏商品或门店（进入默认收藏夹）"
)
def favorite_create(request, payload: FavoriteIn):
    """404 `favorite_target_unavailable`: no such product on sale or open store, or not exactly
    one of the two given. Keeping the same one again answers the existing favorite."""
    favorite = favorite_add(
        owner=request.user, product_id=payload.product_id, store_id=payload.store_id
    )
    return Status(201, _favorite(member_favorite(owner=request.user, favorite_id=favorite.id)))


@router.post("/move", response={200: MovedOut, **errors(404)}, summary="把收藏移到另一个收藏夹")
def favorite_move(request, payload: MoveIn):
    """404: the folder or one of the favorites is not the member's (nothing moves)."""
    moved = favorites_move(
        owner=request.user, favorite_ids=payload.favorite_ids, folder_id=payload.folder_id
    )
    return {"moved": moved}


@router.delete("/{favorite_id}", response={204: None, **errors(404)}, summary="取消收藏")
def favorite_delete(request, favorite_id: Id):
    favorite_remove(owner=request.user, favorite_id=favorite_id)
    return Status(204, None)
