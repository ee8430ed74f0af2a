"""The help center (HELPC-1, ADM-8, SRCH-1): sanitised articles, drafts and publishing,
columns of any depth, both languages, the back office with its editor, quick search on both
backends, the sitemap and the page cache."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from rongcheng.helpcenter.errors import ColumnCycle, ColumnInUse
from rongcheng.helpcenter.models import Article, Column
from rongcheng.helpcenter.sanitize import clean_html
from rongcheng.helpcenter.services import article_save, column_delete, column_save
from rongcheng.search.models import DocType, SearchDocument
from rongcheng.search.selectors import quick_search
from rongcheng.seo.page_cache import HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def columns():
    shopping = column_save(column=Column(name="购物指南", name_en="Shopping Help"))
    payment = column_save(column=Column(name="支付方式", name_en="Payment", parent=shopping))
    cards = column_save(column=Column(name="银行卡", name_en="Bank Cards", parent=payment))
    return shopping, payment, cards


def _article(column: Column, **fields) -> Article:
    values = {
        "title": "如何下单",
        "title_en": "How to Order",
        "body": "<p>选择颜色和尺码，加入购物袋。</p>",
        "body_en": "<p>Choose a colour and a size, then add it to your bag.</p>",
        "status": Article.Status.PUBLISHED,
    } | fields
    return article_save(article=Article(column=column, **values))


def test_a_script_is_removed_when_an_article_is_saved(columns, settings):
    body = (
        '<p onclick="steal()">配送<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">点我</a><a href="https://example.com/x">外链</a>'
        f'<img src="{settings.MEDIA_URL}help/images/a.png" alt="图">'
        '<img src="https://evil.example/track.gif"><style>body{display:none}</style>'
    )
    article = _article(columns[0], body=body, body_en=body)
    stored = Article.objects.get(pk=article.pk)
    expected = (
        '<p>配送</p><a rel="noopener noreferrer">点我</a>'
        '<a href="https://example.com/x" rel="noopener noreferrer">外链</a>'
        f'<img src="{settings.MEDIA_URL}help/images/a.png" alt="图">'
    )
    assert stored.body == expected
    assert stored.body_en == expected


def test_sanitising_keeps_what_the_editor_writes():
    html = "<div><strong>粗</strong> <em>斜</em><br></div><ul><li>一</li></ul><h1>标题</h1>"
    assert clean_html(html) == html


def test_drafts_stay_hidden_until_published(client, columns, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft = _article(columns[1], status=Article.Status.DRAFT)
    assert draft.published_at is None
    assert client.get(f"/help/{draft.id}/").status_code == 404
    assert "如何下单" not in client.get("/help/").content.decode()
    assert not SearchDocument.objects.filter(doc_type=DocType.ARTICLE).exists()

    draft.status = Article.Status.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        published = article_save(article=draft)
    assert published.published_at is not None
    assert SearchDocument.objects.filter(doc_type=DocType.ARTICLE).count() == 1
    page = client.get(f"/help/{draft.id}/").content.decode()
    assert "<p>选择颜色和尺码，加入购物袋。</p>" in page


def test_columns_of_any_depth_in_both_languages(client, columns):
    _shopping, _payment, cards = columns
    article = _article(cards)
    chinese = client.get("/help/").content.decode()
    assert chinese.index("购物指南") < chinese.index("支付方式") < chinese.index("银行卡")
    assert 'class="help-column depth-2"' in chinese
    english = client.get(f"/en/help/{article.id}/").content.decode()
    assert "<h1>How to Order</h1>" in english
    assert "Choose a colour and a size" in english and "Bank Cards" in english
    # No English yet: the Chinese is shown.
    untranslated = _article(cards, title="退换货政策", title_en="", body_en="")
    page = client.get(f"/en/help/{untranslated.id}/").content.decode()
    assert "<h1>退换货政策</h1>" in page and "选择颜色和尺码" in page


def test_a_column_under_itself_or_in_use_is_refused(columns):
    shopping, _payment, cards = columns
    shopping.parent = cards
    with pytest.raises(ColumnCycle):
        column_save(column=shopping)
    assert Column.objects.get(pk=shopping.pk).parent_id is None
    _article(cards)
    with pytest.raises(ColumnInUse):
        column_delete(column=cards)
    with pytest.raises(ColumnInUse):
        column_delete(column=shopping)
    assert Column.objects.count() == 3


def test_a_switched_off_column_hides_its_subtree(
    client, columns, django_capture_on_commit_callbacks
):
    shopping, _payment, cards = columns
    with django_capture_on_commit_callbacks(execute=True):
        article = _article(cards)
    assert SearchDocument.objects.filter(doc_type=DocType.ARTICLE).count() == 1
    shopping.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        column_save(column=shopping)
    assert client.get(f"/help/{article.id}/").status_code == 404
    assert not SearchDocument.objects.filter(doc_type=DocType.ARTICLE).exists()


def test_the_help_page_costs_the_same_for_one_and_many_articles(
    client, columns, django_assert_max_num_queries
):
    _article(columns[2])
    with django_assert_max_num_queries(6) as one:
        client.get("/help/")
    for number in range(10):
        _article(columns[number % 3], title=f"文章{number}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/help/")


def test_an_article_change_purges_the_cached_page(
    client, columns, django_capture_on_commit_callbacks
):
    article = _article(columns[0])
    client.get(f"/help/{article.id}/")
    assert client.get(f"/help/{article.id}/")[HEADER] == "hit"
    article.title = "怎样下单"
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=article)
    page = client.get(f"/help/{article.id}/")
    assert page[HEADER] == "miss"
    assert "怎样下单" in page.content.decode()


def test_articles_are_in_the_sitemap(client, columns):
    article = _article(columns[0])
    draft = _article(columns[0], title="草稿", status=Article.Status.DRAFT)
    sitemap = client.get("/sitemap-help.xml").content.decode()
    assert f"/help/{article.id}/</loc>" in sitemap
    assert f"/en/help/{article.id}/</loc>" in sitemap
    assert f"/help/{draft.id}/" not in sitemap


def test_pages_link_to_the_article_that_answers_them(client, columns):
    article = _article(columns[0], topic=Article.Topic.REGISTRATION)
    page = client.get("/register/").content.decode()
    assert f'href="/help/{article.id}/"' in page
    # No article for a topic: the help center itself.
    article.topic = ""
    article_save(article=article)
    assert 'href="/help/">' in client.get("/register/").content.decode()


def test_the_back_office_edits_articles_with_the_editor(admin_client, columns):
    page = admin_client.get(reverse("admin:helpcenter_article_add")).content.decode()
    assert '<trix-editor input="id_body"' in page and "vendor/trix/trix.umd.min.js" in page
    response = admin_client.post(
        reverse("admin:helpcenter_article_add"),
        {
            "column": columns[0].id,
            "title": "支付方式",
            "title_en": "Payment",
            "summary": "",
            "summary_en": "",
            "body": "<div>支付宝<script>x()</script></div>",
            "body_en": "<div>Alipay</div>",
            "status": "published",
            "position": 0,
            "topic": "payment",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Article.objects.get(title="支付方式").body == "<div>支付宝</div>"


def _assert_quick_search_finds_articles(columns, capture) -> None:
    with capture(execute=True):
        article = _article(columns[1], title="支付方式", title_en="Payment methods")
    assert [hit.id for hit in quick_search(q="支付", doc_type=DocType.ARTICLE).page] == [article.id]
    assert quick_search(q="支付").counts[DocType.ARTICLE] == 1
    with translation.override("en"):
        hits = quick_search(q="payment", doc_type=DocType.ARTICLE).page
        assert [hit.name for hit in hits] == ["Payment methods"]


def test_quick_search_finds_articles_on_this_database(columns, django_capture_on_commit_callbacks):
    _assert_quick_search_finds_articles(columns, django_capture_on_commit_callbacks)


@pytest.mark.postgres
def test_quick_search_finds_articles_on_postgresql(columns, django_capture_on_commit_callbacks):
    assert connection.vendor == "postgresql"
    _assert_quick_search_finds_articles(columns, django_capture_on_commit_callbacks)
