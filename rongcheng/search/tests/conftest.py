import pytest

from rongcheng.search.tests.factories import build_shelf


@pytest.fixture
def shelf(db, regions):
    return build_shelf(regions)
