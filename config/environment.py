"""Pieces of the settings that depend on how the services are deployed, each read from the
environment (docs/deployment.md lists the variables)."""

from typing import Any

import environ

# channels_redis blocks up to 5 s reading a channel (BZPOPMIN); the redis client's default socket
# timeout is also 5 s, so an idle WebSocket's read timed out and the socket died. Wait longer.
CHANNEL_LAYER_SOCKET_TIMEOUT = 30
# psycopg prepares a statement on this run of it on a connection: a statement run once (an
# unusual length of an IN list, say) is not worth a PREPARE and a slot in its cache.
PREPARE_ON_RUN = 2


def channel_layer_host(url: str) -> dict[str, Any]:
    return {"address": url, "socket_timeout": CHANNEL_LAYER_SOCKET_TIMEOUT}


def postgres_options(env: environ.Env) -> dict[str, Any]:
    """Connection settings of the primary and each replica.

    A statement written once (core/sql.py) is prepared on a connection's second run of it, so
    that PostgreSQL plans it once per connection: planning was most of the server's time on
    the pages' short reads. The ORM's queries bind their parameters on the client, which
    psycopg never prepares.

    The engine is Django's PostgreSQL backend but for the health check of a kept connection,
    which it skips while the connection's last request ended less than a second ago
    (rongcheng/core/postgres/base.py).

    DATABASE_POOLER=pgbouncer: the connections go through PgBouncer in transaction mode, where
    consecutive transactions may run on different server connections, so nothing may outlive a
    transaction: no server-side cursors (iterator()) and no prepared statements.
    """
    pooled = env.str("DATABASE_POOLER", default="") == "pgbouncer"
    return {
        "ENGINE": "rongcheng.core.postgres",
        "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
        "DISABLE_SERVER_SIDE_CURSORS": pooled,
        "OPTIONS": {"prepare_threshold": None if pooled else PREPARE_ON_RUN},
    }


def media_storage(env: environ.Env) -> dict[str, Any]:
    """Uploads on local disk, or with MEDIA_S3_BUCKET in an S3-compatible bucket that every web
    host shares (django-storages; the access keys come from the environment or the host's role).
    """
    bucket = env.str("MEDIA_S3_BUCKET", default="")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "rongcheng.core.media_storage.MediaBucketStorage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            # Public files at the CDN or bucket address: pictures on pages need no signatures.
            "custom_domain": env.str("MEDIA_S3_CUSTOM_DOMAIN", default="") or None,
            "querystring_auth": False,
            "default_acl": None,
            "file_overwrite": False,
            # Uploads are checked by content (core/uploads.py); the bucket serves them with
            # the same protective headers nginx adds under /media/.
            "object_parameters": {"CacheControl": "public, max-age=604800"},
        },
    }
