"""Reads of the help center: the column tree with its published articles, one article."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from rongcheng.helpcenter.errors import ArticleNotFound
from rongcheng.helpcenter.models import Article, Column


@dataclass
class ColumnNode:
    column: Column
    depth: int
    articles: list[Article] = field(default_factory=list)
    children: list["ColumnNode"] = field(default_factory=list)


def _active_column_ids() -> set[int]:
    """Active columns whose ancestors are all active (one query)."""
    rows = dict(Column.objects.filter(is_active=True).values_list("id", "parent_id"))
    active: set[int] = set()
    for column_id in rows:
        path, node = [], column_id
        while node is not None and node in rows and node not in path:
            path.append(node)
            node = rows[node]
        if node is None:
            active.update(path)
    return active


def published_articles() -> QuerySet[Article]:
    return Article.objects.filter(
        status=Article.Status.PUBLISHED, column_id__in=list(_active_column_ids())
    )


def help_tree() -> list[ColumnNode]:
    """The active columns as a tree, each with its published articles, titles only (two
    queries whatever the depth)."""
    ids = _active_column_ids()
    columns = Column.objects.filter(id__in=list(ids))
    nodes = {column.id: ColumnNode(column, 0) for column in columns}
    articles = (
        published_articles().defer("body", "body_en").order_by("position", "-published_at", "id")
    )
    for article in articles:
        nodes[article.column_id].articles.append(article)
    roots: list[ColumnNode] = []
    for node in nodes.values():
        parent = node.column.parent_id
        (nodes[parent].children if parent in nodes else roots).append(node)
    pending = list(roots)
    while pending:
        node = pending.pop()
        for child in node.children:
            child.depth = node.depth + 1
        pending.extend(node.children)
    return roots


HELP_TOPICS_CACHE_KEY = "helpcenter:topics:v1"


def help_topics() -> dict[str, int]:
    """The published article of each page topic (cached; article_save clears it)."""
    topics = cache.get(HELP_TOPICS_CACHE_KEY)
    if topics is None:
        topics = dict(published_articles().exclude(topic="").values_list("topic", "id"))
        cache.set(HELP_TOPICS_CACHE_KEY, topics, 600)
    return topics


def article_get(*, article_id: int) -> Article:
    article = published_articles().select_related("column").filter(id=article_id).first()
    if article is None:
        raise ArticleNotFound(_("没有这篇文章，或它已下线。"))
    return article
