"""The WSGI application leaves what loading built out of the collector's reach (config/wsgi.py)."""

import subprocess
import sys

from django.conf import settings

# Run apart: freezing the test process would keep its garbage for the rest of the run.
SCRIPT = "import gc, config.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"


def test_loading_the_application_freezes_what_it_built():
    ran = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    frozen, collectable = map(int, ran.stdout.split())
    assert frozen > 100_000  # modules, classes, URL patterns, translations
    assert collectable < 1_000
