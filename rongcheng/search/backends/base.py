from dataclasses import dataclass
from typing import Protocol

from django.db.models import QuerySet

from rongcheng.search.models import SearchDocument
from rongcheng.search.text import Keyword


@dataclass(frozen=True)
class Clause:
    """A keyword a document must match: anywhere (title, body, pinyin) or in the title only;
    `prefix` lets its last term be the start of a word, as the shopper is still typing.
    A keyword spelled in ASCII letters also matches as the start of any term (pinyin)."""

    keyword: Keyword
    title_only: bool = False
    prefix: bool = False

    @property
    def spelling_covers_terms(self) -> bool:
        """The keyword is its one term as typed (kaishan, knit): the pinyin prefix match finds
        every document the term does, so the term is left out (one index lookup, not two)."""
        return not self.title_only and self.keyword.terms == (self.keyword.pinyin,)


class Backend(Protocol):
    def expression(self, clauses: list[Clause], *, every: bool = True) -> str:
        """The query text for the clauses, the parameter of `match_sql` and `rank_sql`."""
        ...

    def match_sql(self, alias: str) -> str:
        """SQL that holds when the document under `alias` matches the query text, its one
        parameter: for statements written once, without the ORM."""
        ...

    def rank_sql(self, alias: str) -> str:
        """The relevance of the document under `alias` (higher is better) for the query
        text, its one parameter."""
        ...

    def match(
        self,
        documents: QuerySet[SearchDocument],
        clauses: list[Clause],
        *,
        ranked: bool = True,
        every: bool = True,
    ) -> QuerySet[SearchDocument]:
        """Documents that match every clause (any of them when not `every`); when `ranked`,
        annotated with `relevance` (higher is better). Counts leave ranking out: it costs
        time on every match."""
        ...
