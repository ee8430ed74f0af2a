import pytest

from rongcheng.search.tests.factories import add_sweaters, build_shelf


@pytest.fixture
def shelf(db, regions):
    return build_shelf(regions)


@pytest.fixture
def catalogue(shelf):
    """The shelf and 60 generated sweaters (fixed seed), indexed."""
    return add_sweaters(shelf)
