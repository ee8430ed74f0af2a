"""SQLite FTS5: the search_fts table joined one-to-one to the documents through rowid."""

from django.db.models import F, QuerySet

from rongcheng.search.backends.base import Clause
from rongcheng.search.models import SearchDocument


def _string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _clause(clause: Clause) -> str:
    if clause.spelling_covers_terms:
        return f"({_string(clause.keyword.pinyin)} *)"
    terms = [_string(term) for term in clause.keyword.terms]
    if clause.prefix:
        terms[-1] += " *"
    words = f"({' AND '.join(terms)})"
    if clause.title_only:
        return f"({{title_terms}} : {words})"
    # Like the PostgreSQL backend: terms and pinyin prefixes may match in any column.
    if clause.keyword.pinyin:
        return f"({words} OR {_string(clause.keyword.pinyin)} *)"
    return words


def expression(clauses: list[Clause], *, every: bool = True) -> str:
    """The FTS5 query string for the clauses, all of which must match (any when not
    `every`)."""
    return (" AND " if every else " OR ").join(_clause(clause) for clause in clauses)


class SqliteBackend:
    def expression(self, clauses: list[Clause], *, every: bool = True) -> str:
        return expression(clauses, every=every)

    def match_sql(self, alias: str) -> str:
        return f"{alias}.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"  # noqa: S608

    def rank_sql(self, alias: str) -> str:
        # bm25 reads the whole index's statistics: the same with the rowid pinned.
        return f"(SELECT -rank FROM search_fts WHERE search_fts MATCH %s AND rowid = {alias}.id)"  # noqa: S608

    def match(
        self,
        documents: QuerySet[SearchDocument],
        clauses: list[Clause],
        *,
        ranked: bool = True,
        every: bool = True,
    ) -> QuerySet[SearchDocument]:
        matching = documents.filter(fts__search_fts__match=expression(clauses, every=every))
        # bm25 is lower for better matches; `rank` is bm25 with the column weights of 0002.
        return matching.annotate(relevance=-F("fts__rank")) if ranked else matching
