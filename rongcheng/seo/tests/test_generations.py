"""Generation numbers: read from the shared cache, once per request for each scope."""

import pytest
from django.core.cache import cache

from rongcheng.seo import generations
from rongcheng.seo.slugs import slugify_zh


@pytest.fixture
def reads(monkeypatch):
    """The keys of each `get_many` the generations make."""
    calls: list[list[str]] = []
    get_many = cache.get_many

    def counted(keys, *args, **kwargs):
        calls.append(list(keys))
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counted)
    return calls


def test_outside_a_request_every_read_asks_the_cache(reads):
    first = generations.current(["a", "b"])
    cache.incr(generations.PREFIX + "a")  # another process bumps
    assert generations.current(["a", "b"]) == [first[0] + 1, first[1]]
    assert reads == [["seo:gen:a", "seo:gen:b"], ["seo:gen:a", "seo:gen:b"]]


def test_within_a_request_each_scope_is_read_once(reads):
    with generations.kept_for_request():
        first = generations.current(["a", "b"])
        cache.incr(generations.PREFIX + "a")  # another process bumps meanwhile
        assert generations.current(["b", "a", "c"]) == [first[1], first[0], cache.get("seo:gen:c")]
    assert reads == [["seo:gen:a", "seo:gen:b"], ["seo:gen:c"]]
    assert generations.current(["a"]) == [first[0] + 1]


def test_a_bump_within_the_request_is_seen_by_the_rest_of_it(reads):
    with generations.kept_for_request():
        (before,) = generations.current(["a"])
        generations.bump(["a"])
        assert generations.current(["a"]) == [before + 1]


def test_a_new_scope_takes_the_number_another_process_stored_first(reads, monkeypatch):
    add = cache.add

    def raced(key, value, *args, **kwargs):
        add(key, 7, *args, **kwargs)  # another process's seed lands first
        return add(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "add", raced)
    assert generations.current(["new", "other"]) == [7, 7]
    assert reads == [["seo:gen:new", "seo:gen:other"], ["seo:gen:new", "seo:gen:other"]]


def test_a_new_scope_this_process_stored_is_not_read_back(reads):
    (seed,) = generations.current(["fresh"])
    assert cache.get("seo:gen:fresh") == seed
    assert reads == [["seo:gen:fresh"]]


def test_a_page_and_its_shared_blocks_read_the_generations_once(client, shop, reads):
    category = shop["category"]
    response = client.get(f"/category/{category.id}-{slugify_zh(category.name)}/")
    assert response.status_code == 200
    assert len(reads) == 1
