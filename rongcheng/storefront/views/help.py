"""The help center (HELPC-1): columns with their articles, and each article, in both
languages."""

from django.shortcuts import render

from rongcheng.helpcenter.selectors import article_get, help_tree


def help_index(request):
    return render(request, "help/index.html", {"tree": help_tree()})


def help_article(request, article_id: int):
    article = article_get(article_id=article_id)
    return render(request, "help/article.html", {"article": article, "tree": help_tree()})
