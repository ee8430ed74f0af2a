"""留言板 for the app and the mini-program (BOARD-1): published posts by kind (public), and
posting (members; the post waits for customer service to publish it)."""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from rongcheng.api.auth import member_auth
from rongcheng.api.contract import NO_NUL, NOT_BLANK, BodyIn
from rongcheng.board.models import Post
from rongcheng.board.selectors import published_posts
from rongcheng.board.services import BODY_MAX, NICKNAME_MAX, board_post

router = Router(tags=["board"])
Kind = Literal["review", "message", "suggestion", "complaint"]


class PostOut(Schema):
    id: int
    kind: str = Field(description="review 点评 / message 留言 / suggestion 建议 / complaint 投诉")
    nickname: str
    body: str
    state: str = Field(description="pending 待审核 / published 已发布 / hidden 已隐藏")
    reply: str
    replied_at: datetime | None
    created_at: datetime


class PostPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[PostOut]


class BoardQuery(Schema):
    kind: Kind | None = None
    q: str = Field("", max_length=50, pattern=NO_NUL)
    page: int = Field(1, ge=1)


class PostIn(BodyIn):
    kind: Kind
    body: str = Field(max_length=BODY_MAX, pattern=NOT_BLANK)
    nickname: str = Field("", max_length=NICKNAME_MAX, pattern=NO_NUL)


def _post(post: Post) -> dict:
    return {
        "id": post.id,
        "kind": post.kind,
        "nickname": post.nickname,
        "body": post.body,
        "state": post.state,
        "reply": post.reply,
        "replied_at": post.replied_at,
        "created_at": post.created_at,
    }


@router.get("", response=PostPageOut, summary="留言板（已发布，最新在前）")
def post_list(request, query: Query[BoardQuery]):
    page = published_posts(kind=query.kind or "", query=query.q, page=query.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_post(post) for post in page.object_list],
    }


@router.post("", response={201: PostOut}, auth=member_auth, summary="发表留言（审核后公开）")
def post_create(request, payload: PostIn):
    post = board_post(
        kind=payload.kind, body=payload.body, author=request.user, nickname=payload.nickname
    )
    return Status(201, _post(post))
