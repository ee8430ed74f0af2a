"""Reading the board: published posts by kind with search, and a member's own posts."""

from django.core.paginator import Page, Paginator
from django.db.models import Q

from rongcheng.accounts.models import User
from rongcheng.board.models import Post

PER_PAGE = 20


def published_posts(*, kind: str = "", query: str = "", page: int | str = 1) -> Page:
    posts = Post.objects.filter(state=Post.State.PUBLISHED)
    if kind in Post.Kind.values:
        posts = posts.filter(kind=kind)
    if query:
        posts = posts.filter(Q(body__icontains=query) | Q(reply__icontains=query))
    return Paginator(posts, PER_PAGE).get_page(page)


def member_posts(*, author: User, page: int | str = 1) -> Page:
    return Paginator(Post.objects.filter(author=author), PER_PAGE).get_page(page)
