"""Writes of the help center. Every change purges the help pages after commit and keeps
the search index current; an article's HTML is sanitised before it is stored."""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.helpcenter.errors import ColumnCycle, ColumnInUse
from rongcheng.helpcenter.models import Article, ArticleImage, Column
from rongcheng.helpcenter.sanitize import clean_html
from rongcheng.helpcenter.selectors import HELP_TOPICS_CACHE_KEY
from rongcheng.search.services import article_index_update
from rongcheng.seo.purge import purge_help


def _reindex(article_ids: list[int]) -> None:
    """Re-index after the commit, and forget which article answers which page."""
    transaction.on_commit(lambda: cache.delete(HELP_TOPICS_CACHE_KEY))
    transaction.on_commit(lambda: article_index_update(article_ids=article_ids))


def _subtree_ids(column_id: int) -> list[int]:
    """The column and every column below it (one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Column.objects.values_list("id", "parent_id"):
        children.setdefault(parent, []).append(pk)
    ids, pending = [], [column_id]
    while pending:
        current = pending.pop()
        ids.append(current)
        pending.extend(children.get(current, []))
    return ids


def column_save(*, column: Column) -> Column:
    with transaction.atomic():
        ancestor = column.parent
        while ancestor is not None:
            if column.pk is not None and ancestor.pk == column.pk:
                raise ColumnCycle(_("栏目不能放在它自己或它的下级栏目之下。"), field="parent")
            ancestor = ancestor.parent
        column.save()
        purge_help()
        # Articles below a column switched off or on leave or join the index.
        subtree = _subtree_ids(column.pk)
        _reindex(list(Article.objects.filter(column__in=subtree).values_list("id", flat=True)))
    return column


def column_delete(*, column: Column) -> None:
    if Column.objects.filter(parent=column).exists():
        raise ColumnInUse(_("栏目下还有子栏目，不能删除。"))
    if Article.objects.filter(column=column).exists():
        raise ColumnInUse(_("栏目下还有文章，请先删除或移走这些文章。"))
    with transaction.atomic():
        column.delete()
        purge_help()


def article_save(*, article: Article) -> Article:
    """Sanitise both bodies; the first publication stamps the publishing time."""
    article.body = clean_html(article.body)
    article.body_en = clean_html(article.body_en)
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    with transaction.atomic():
        article.save()
        purge_help()
        _reindex([article.pk])
    return article


def article_delete(*, article: Article) -> None:
    article_id = article.pk
    with transaction.atomic():
        article.delete()
        purge_help()
        _reindex([article_id])


def article_image_save(*, image: ArticleImage) -> ArticleImage:
    image.save()
    return image


def article_image_delete(*, image: ArticleImage) -> None:
    """Articles that show the picture keep an <img> of nothing; the page hides it."""
    image.delete()
