"""The WSGI application gunicorn serves (deploy/gunicorn.conf.py).

Once loaded, what the app built (some 370,000 objects: modules, classes, URL patterns,
translations) is moved out of the garbage collector's reach (gc.freeze()). Otherwise each
full collection walks all of it, about 120 ms every few hundred requests of a worker, a pause
that every request queued behind it waits out (bench/BENCHMARKS.md). Loaded before the fork
(preload_app), the workers also keep sharing those pages of memory, which a collection would
write to.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
gc.freeze()
