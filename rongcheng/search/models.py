"""The search index: one row per searchable thing (product, store …), in the database itself.

The *_terms columns hold terms already segmented by text.py, separated by spaces. On SQLite
an FTS5 table (search_fts) indexes them, kept in step by triggers. On PostgreSQL a trigger
turns them into the tsvector column search_vector (GIN-indexed) and stores them blank: the
vector holds them, and a narrow row makes every scan of the table faster (migration 0002
creates whichever applies). The filter and sort columns are copied from the source so that a
search never joins the catalogue.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from rongcheng.core.translation import english_char


class DocType(models.TextChoices):
    PRODUCT = "product", _("商品")
    STORE = "store", _("门店")
    ARTICLE = "article", _("帮助文章")


class SearchDocument(models.Model):
    doc_type = models.CharField(_("类型"), max_length=20, choices=DocType.choices)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    title = models.CharField(_("标题"), max_length=200)
    title_en = english_char(_("标题"), 250)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    summary_en = english_char(_("摘要"), 300)
    # Segmented terms; the full-text index weighs title over body over pinyin.
    title_terms = models.TextField(_("标题词"))
    body_terms = models.TextField(_("正文词"), blank=True)
    pinyin_terms = models.TextField(_("拼音词"), blank=True)
    # Filters and sort keys (products; stores use city_code).
    category_id = models.PositiveBigIntegerField(_("类目"), null=True, blank=True)
    brand_id = models.PositiveBigIntegerField(_("品牌"), null=True, blank=True)
    price = models.DecimalField(_("价格"), null=True, blank=True, max_digits=12, decimal_places=2)
    sales_count = models.PositiveIntegerField(_("销量"), default=0)
    launch_date = models.DateField(_("上市日期"), null=True, blank=True)
    city_code = models.CharField(_("城市"), max_length=12, blank=True)
    # The key attribute values by attribute id: the attribute filters read them (query.py)
    # and the facets count them by grouping the matching rows themselves, with no join.
    key_values = models.JSONField(_("关键属性"), default=dict, blank=True)
    fingerprint = models.CharField(_("内容摘要"), max_length=32)
    indexed_at = models.DateTimeField(_("索引时间"), auto_now=True)

    class Meta:
        verbose_name = _("搜索文档")
        verbose_name_plural = _("搜索文档")
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "object_id"], name="search_document_unique")
        ]
        indexes = [
            models.Index(fields=["doc_type", "-sales_count"], name="search_doc_sales"),
            models.Index(fields=["doc_type", "price"], name="search_doc_price"),
            models.Index(fields=["doc_type", "-launch_date"], name="search_doc_newest"),
            # With the price: a category and a price range narrow a search in the index,
            # before any (wide) row is read. On PostgreSQL migration 0007 makes it carry the
            # brand and the key values too (INCLUDE, which SQLite lacks), so that a category's
            # facets and attribute filters without keywords are answered from the index alone.
            models.Index(
                fields=["doc_type", "category_id", "price"], name="search_doc_category_price"
            ),
            models.Index(fields=["doc_type", "brand_id"], name="search_doc_brand"),
            models.Index(fields=["doc_type", "city_code"], name="search_doc_city"),
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.title}"


class FullTextColumn(models.TextField):
    """FTS5's hidden column named like its table; it takes `column MATCH query`."""


@FullTextColumn.register_lookup
class Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class SqliteFullText(models.Model):
    """The FTS5 table over SearchDocument, on SQLite only (not managed: migration 0002 makes
    it). Joined one-to-one through rowid; `rank` is bm25 with the weights set there."""

    document = models.OneToOneField(
        SearchDocument,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="fts",
    )
    search_fts = FullTextColumn()
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "search_fts"

    def __str__(self) -> str:
        return f"fts {self.pk}"
