import pytest
from django.core.cache import cache
from django.utils import translation

from rongcheng.core.process_copies import forget_all
from rongcheng.core.testing.factories import RegionTreeFactory, UserFactory


@pytest.fixture
def member(db):
    return UserFactory(real_name="张三", mobile="13900000000")


@pytest.fixture
def regions(db):
    """Province → city → district: 内蒙古/鄂尔多斯/东胜区 and 北京/北京/东城区."""
    return RegionTreeFactory.create_tree()


@pytest.fixture(autouse=True, scope="session")
def celery_tasks_run_in_process():
    """Tests run tasks in-process even when REDIS_URL names a broker; a test that starts a
    real worker turns this off for its own duration."""
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a rolled-back test must not leave cached reads
    (such as the category tree) behind for the next one."""
    cache.clear()
    forget_all()
    yield
    cache.clear()
    forget_all()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request for an English page leaves English
    active in the thread, and reverse() in the next test would give /en/ addresses."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads go to a directory of this test alone; the fixture is that directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT
