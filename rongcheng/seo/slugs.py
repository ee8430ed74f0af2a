"""Readable URL words for Chinese names: 经典圆领羊绒衫 → jing-dian-yuan-ling-yang-rong-shan."""

from functools import lru_cache

from django.utils.text import slugify

MAX_LENGTH = 80


@lru_cache(maxsize=8192)
def slugify_zh(name: str) -> str:
    """The pinyin of the Chinese characters, other letters and digits kept, joined by '-'.

    The slug only makes the address readable; pages are found by their id, so two products
    with the same name may share a slug.
    """
    # pypinyin loads its phrase dictionaries on import (about 0.4 s): only when needed.
    from pypinyin import lazy_pinyin

    words = lazy_pinyin(name, errors="default")  # runs of non-Chinese text pass through
    slug = slugify(" ".join(words))[:MAX_LENGTH].strip("-")
    return slug or "item"
