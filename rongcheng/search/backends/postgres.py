"""PostgreSQL: the generated search_vector column (GIN-indexed) matched by a tsquery.

Weights: A = title terms, B = body terms, C = pinyin terms (migration 0002).
"""

from django.db.models import BooleanField, Expression, FloatField, QuerySet

from rongcheng.search.backends.base import Clause
from rongcheng.search.models import SearchDocument


def _lexeme(term: str, *, prefix: bool = False, weights: str = "") -> str:
    quoted = "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"
    marks = ("*" if prefix else "") + weights
    return f"{quoted}:{marks}" if marks else quoted


def _clause(clause: Clause) -> str:
    # Only a title-only clause names a weight: GIN holds no weights, so a weighted query makes
    # PostgreSQL re-read every candidate row. Pinyin terms need none either: a pinyin prefix
    # that also starts a body term is a match worth having.
    if clause.spelling_covers_terms:
        return f"({_lexeme(clause.keyword.pinyin, prefix=True)})"
    weights = "A" if clause.title_only else ""
    last = len(clause.keyword.terms) - 1
    words = " & ".join(
        _lexeme(term, prefix=clause.prefix and i == last, weights=weights)
        for i, term in enumerate(clause.keyword.terms)
    )
    if clause.keyword.pinyin and not clause.title_only:
        return f"(({words}) | {_lexeme(clause.keyword.pinyin, prefix=True)})"
    return f"({words})"


def expression(clauses: list[Clause], *, every: bool = True) -> str:
    """The tsquery text for the clauses, all of which must match (any when not `every`)."""
    return (" & " if every else " | ").join(_clause(clause) for clause in clauses)


class _VectorExpression(Expression):
    """SQL over the documents' search_vector, a column the ORM does not model (it exists on
    PostgreSQL only); the table alias comes from the query, so it works inside subqueries."""

    template = ""

    def __init__(self, tsquery: str, output_field):
        super().__init__(output_field=output_field)
        self.tsquery = tsquery

    def as_sql(self, compiler, connection):
        column = f"{compiler.quote_name_unless_alias(compiler.query.base_table)}.search_vector"
        return self.template % {"vector": column}, [self.tsquery]


class Matches(_VectorExpression):
    template = "%(vector)s @@ to_tsquery('simple'::regconfig, %%s)"


class Rank(_VectorExpression):
    template = "ts_rank(%(vector)s, to_tsquery('simple'::regconfig, %%s))"


class PostgresBackend:
    def expression(self, clauses: list[Clause], *, every: bool = True) -> str:
        return expression(clauses, every=every)

    def match_sql(self, alias: str) -> str:
        return Matches.template % {"vector": f"{alias}.search_vector"}

    def rank_sql(self, alias: str) -> str:
        return Rank.template % {"vector": f"{alias}.search_vector"}

    def match(
        self,
        documents: QuerySet[SearchDocument],
        clauses: list[Clause],
        *,
        ranked: bool = True,
        every: bool = True,
    ) -> QuerySet[SearchDocument]:
        tsquery = expression(clauses, every=every)
        matching = documents.filter(Matches(tsquery, BooleanField()))
        return matching.annotate(relevance=Rank(tsquery, FloatField())) if ranked else matching
