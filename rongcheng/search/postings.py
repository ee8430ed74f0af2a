"""Term → document postings: which documents hold a word, read without the documents (issue 8).

The full-text indexes answer the same question, but a PostgreSQL GIN index cannot be read
without the table: a word found in most products (羊绒) made every count and facet pass read
each wide document row it matched. The postings are a narrow B-tree of (term, document), so
such a pass reads index entries only. They hold exactly the terms the full-text index takes
(text.py makes every term a single token for both tokenizers), so a search matches the same
documents on either database and either way; ranking stays with the full-text index.
"""

from django.db.models import QuerySet

from rongcheng.search.backends import Clause
from rongcheng.search.models import SearchDocument, SearchPosting


def postings_of(document: SearchDocument) -> list[SearchPosting]:
    """The postings of a document about to be written (it holds its term columns)."""
    title = set(document.title_terms.split())
    terms = dict.fromkeys([*title, *document.body_terms.split(), *document.pinyin_terms.split()])
    return [SearchPosting(document=document, term=term, in_title=term in title) for term in terms]


def answer(clauses: list[Clause]) -> bool:
    """Whether the postings find the documents of these clauses faster than the full-text
    index (measured, bench/BENCHMARKS.md): a keyword of one term, the broad word's case. Several
    terms are intersected faster by the full-text index, from its compressed lists, and a
    spelled keyword's pinyin prefix would unite the postings of many terms."""
    if len(clauses) != 1:
        return False
    clause = clauses[0]
    return len(clause.keyword.terms) == 1 and not clause.keyword.pinyin and not clause.prefix


def holders(clause: Clause) -> QuerySet:
    """The ids of the documents holding the clause's one term (in their title, if asked)."""
    postings = SearchPosting.objects.filter(term=clause.keyword.terms[0])
    if clause.title_only:
        postings = postings.filter(in_title=True)
    return postings.values("document_id")
