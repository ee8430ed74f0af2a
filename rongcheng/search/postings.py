"""Term → document postings: which documents match the keywords of a search (issue 8).

The full-text indexes answer the same question, but a PostgreSQL GIN index cannot be read
without the table: a word found in most products (羊绒) made a count or facet pass read every
wide document row it matched. The postings are a narrow B-tree of (term, document), so the
same pass reads only index entries. They hold exactly the terms the full-text index takes
(text.py makes every term a single token for both tokenizers), so a search matches the same
documents on either database and either way; ranking stays with the full-text index.
"""

from rongcheng.search.models import SearchDocument, SearchPosting


def postings_of(document: SearchDocument) -> list[SearchPosting]:
    """The postings of a document about to be written (it holds its term columns)."""
    title = set(document.title_terms.split())
    terms = dict.fromkeys([*title, *document.body_terms.split(), *document.pinyin_terms.split()])
    return [SearchPosting(document=document, term=term, in_title=term in title) for term in terms]
