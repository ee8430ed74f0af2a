"""Text processing shared by the index and the queries, so both see the same terms.

Chinese is segmented by jieba with the trade dictionary (data/trade_words.txt) in search mode:
a document about 羊绒衫 carries both 羊绒衫 and 羊绒, so either word finds it. The HMM guesser is
off: an unknown word falls apart into single characters the same way in a document and in a
query, which keeps the two consistent. English words are stemmed (Snowball). Every term is a
run of either CJK characters or ASCII letters/digits, so the SQLite and PostgreSQL tokenizers
take each term as exactly one token.
"""

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path

import jieba
import snowballstemmer
from django.conf import settings
from pypinyin import Style, lazy_pinyin

TRADE_WORDS = Path(__file__).resolve().parent / "data" / "trade_words.txt"
MAX_KEYWORDS = 8
MAX_KEYWORD_LENGTH = 40

_PIECE = re.compile(r"[a-z0-9]+|[\u3400-\u4dbf\u4e00-\u9fff]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_ALPHA = re.compile(r"[a-z]+")

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_stemmer = snowballstemmer.stemmer("english")
jieba.setLogLevel(logging.WARNING)


def tokenizer() -> jieba.Tokenizer:
    """The jieba tokenizer with the trade dictionary, built once per process.

    jieba ships its dictionary in the package; the prefix-dictionary cache it builds on first
    use goes under var/ so a restart loads it in a fraction of the time.
    """
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                built = jieba.Tokenizer()
                built.tmp_dir = str(settings.VAR_DIR)
                built.cache_file = "jieba.cache"
                built.initialize()
                built.load_userdict(str(TRADE_WORDS))
                _tokenizer = built
    return _tokenizer


def normalize(text: str) -> str:
    """Full-width forms to half-width, lower case: what the shopper means, not how it was typed."""
    return unicodedata.normalize("NFKC", text).lower()


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word) if _ALPHA.fullmatch(word) else word


def _terms(words: Iterable[str]) -> Iterator[str]:
    for word in words:
        for piece in _PIECE.findall(word):
            yield stem(piece)


def _unique(terms: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(terms))


def index_terms(text: str) -> list[str]:
    """The terms a document is found by: every word and the shorter words inside it."""
    return _unique(_terms(tokenizer().cut_for_search(normalize(text), HMM=False)))


def query_terms(keyword: str) -> list[str]:
    """A keyword cut into its words (precise mode): all of them must be found."""
    return _unique(_terms(tokenizer().cut(normalize(keyword), HMM=False)))


def characters(text: str) -> list[str]:
    """The single CJK characters of a text, so that a one-character keyword finds it too."""
    return _unique(char for run in _CJK.findall(normalize(text)) for char in run)


@lru_cache(maxsize=20000)
def pinyin(word: str) -> tuple[str, str]:
    """Full pinyin and initials of a Chinese word: 羊绒衫 → (yangrongshan, yrs)."""
    full = "".join(lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))
    initials = "".join(lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore"))
    return full, initials


def pinyin_terms(text: str) -> list[str]:
    """Pinyin and initials of each Chinese word and of each whole run of Chinese characters."""
    normalized = normalize(text)
    words = [term for term in index_terms(normalized) if _CJK.fullmatch(term) and len(term) > 1]
    words += [run for run in _CJK.findall(normalized) if len(run) > 1]
    terms: list[str] = []
    for word in dict.fromkeys(words):
        terms.extend(pinyin(word))
    return _unique(term for term in terms if term)


@dataclass(frozen=True)
class Keyword:
    """One space-separated keyword of a query.

    A document matches when it holds every term, or, for a keyword of ASCII letters, when one
    of its pinyin terms starts with the keyword (yangrong, yrs → 羊绒衫).
    """

    text: str
    terms: tuple[str, ...]
    pinyin: str = ""


def keywords(query: str) -> list[Keyword]:
    found = []
    for raw in normalize(query).split():
        raw = raw[:MAX_KEYWORD_LENGTH]
        terms = query_terms(raw)
        if not terms:
            continue
        spelled = raw if raw.isascii() and raw.isalpha() else ""
        found.append(Keyword(raw, tuple(terms), spelled))
        if len(found) == MAX_KEYWORDS:
            break
    return found


Segment = tuple[str, bool]


def _char_normalized(text: str) -> str:
    """Normalize character by character, so positions still point into the original text."""
    out = []
    for char in text:
        folded = normalize(char)
        out.append(folded if len(folded) == 1 else char.lower())
    return "".join(out)


def _mark(hits: list[bool], start: int, end: int) -> None:
    hits[start:end] = [True] * (end - start)


@lru_cache(maxsize=20000)
def _spoken_words(folded: str) -> tuple[tuple[int, int, str, str], ...]:
    """The Chinese words of a text as search mode cuts them: (start, end, pinyin, initials).
    Segmenting costs about 75 µs a text, most of marking a page of results for a spelled
    keyword, and the same titles come back page after page."""
    return tuple(
        (start + match.start(), start + match.end(), *pinyin(match.group()))
        for word, start, _end in tokenizer().tokenize(folded, mode="search", HMM=False)
        for match in _CJK.finditer(word)
    )


def highlight(text: str, found_by: list[Keyword]) -> list[Segment]:
    """Split a text into (part, is_hit) so a page can mark what the keywords matched.

    Chinese terms are marked wherever they occur (羊绒 inside 山羊绒 too), English words whose
    stem is a term, and Chinese words whose pinyin or initials start with a spelled keyword.
    Only the last needs the segmenter, whose cuts of a text are kept (`_spoken_words`).
    """
    if not text or not found_by:
        return [(text, False)] if text else []
    terms = {term for keyword in found_by for term in keyword.terms}
    spellings = [keyword.pinyin for keyword in found_by if keyword.pinyin]
    folded = _char_normalized(text)
    hits = [False] * len(text)
    for term in terms:
        if _CJK.fullmatch(term):
            start = folded.find(term)
            while start >= 0:
                _mark(hits, start, start + len(term))
                start = folded.find(term, start + 1)
    for match in _PIECE.finditer(folded):
        if not _CJK.match(match.group()) and stem(match.group()) in terms:
            _mark(hits, match.start(), match.end())
    for start, end, full, initials in _spoken_words(folded) if spellings else ():
        if any(full.startswith(s) or initials.startswith(s) for s in spellings):
            _mark(hits, start, end)
    segments: list[Segment] = []
    position = 0
    for is_hit, run in groupby(hits):
        length = len(list(run))
        segments.append((text[position : position + length], is_hit))
        position += length
    return segments
