"""How a production host is configured: its environment file, HSTS stages, services per role."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from rongcheng.core.tests.test_settings import NOT_INHERITED, PRODUCTION, run

SHOW = (
    "import django; django.setup()\n"
    "from django.conf import settings\n"
    "for expression in {expressions!r}:\n"
    "    print(eval(expression, {{'settings': settings}}))\n"
)


def show(tmp_path, *expressions: str, **variables: str) -> list[str]:
    result = run(
        tmp_path,
        "-c",
        SHOW.format(expressions=expressions),
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTEST_XDIST_WORKER="",  # the child is no test worker: no Redis database of its own
        **variables,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def env_file(tmp_path, variables: dict[str, str]) -> Path:
    path = tmp_path / "env"
    lines = ["# /etc/rongcheng/env", *(f"{name}={value}" for name, value in variables.items())]
    path.write_text("\n".join(lines) + "\n")
    return path


def run_on_host(tmp_path, env_file: Path, *args: str) -> subprocess.CompletedProcess:
    """A command started by hand on the host: nothing in its environment but the path."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {*NOT_INHERITED, "RONGCHENG_ENV", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(RONGCHENG_VAR_DIR=str(tmp_path), RONGCHENG_ENV_FILE=str(env_file))
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_host_with_an_environment_file_runs_on_it_without_loading_it_first(tmp_path):
    path = env_file(tmp_path, {"RONGCHENG_ENV": "production", **PRODUCTION})
    result = run_on_host(
        tmp_path, path, "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (2 silenced)." in result.stdout


def test_a_half_written_environment_file_stops_every_command(tmp_path):
    incomplete = {name: value for name, value in PRODUCTION.items() if name != "DATABASE_URL"}
    path = env_file(tmp_path, {"RONGCHENG_ENV": "production", **incomplete})
    result = run_on_host(tmp_path, path, "manage.py", "migrate")
    assert result.returncode != 0
    assert "needs these environment variables: DATABASE_URL\n" in result.stderr
    assert not (tmp_path / "db.sqlite3").exists()


def test_the_process_environment_wins_over_the_file(tmp_path):
    path = env_file(tmp_path, {"RONGCHENG_ENV": "production", **PRODUCTION})
    lines = show(
        tmp_path,
        "settings.ALLOWED_HOSTS",
        RONGCHENG_ENV_FILE=str(path),
        ALLOWED_HOSTS="staging.example.com",
    )
    assert lines == ["['staging.example.com']"]


def test_hsts_starts_at_an_hour_without_subdomains_or_preload(tmp_path):
    lines = show(
        tmp_path,
        "settings.SECURE_HSTS_SECONDS",
        "settings.SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "settings.SECURE_HSTS_PRELOAD",
        **PRODUCTION,
    )
    assert lines == ["3600", "False", "False"]


def test_hsts_is_raised_by_the_environment(tmp_path):
    lines = show(
        tmp_path,
        "settings.SECURE_HSTS_SECONDS",
        "settings.SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "settings.SECURE_HSTS_PRELOAD",
        **PRODUCTION,
        SECURE_HSTS_SECONDS="63072000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
    )
    assert lines == ["63072000", "True", "True"]


def test_cache_broker_and_channel_layer_default_to_redis_url_or_have_their_own(tmp_path):
    expressions = (
        "settings.CACHES['default']['LOCATION']",
        "settings.CELERY_BROKER_URL",
        "settings.CHANNEL_LAYERS['default']['CONFIG']['hosts']",
    )
    assert show(tmp_path, *expressions, **PRODUCTION) == [
        "redis://cache.internal:6379/0",
        "redis://cache.internal:6379/0",
        "[{'address': 'redis://cache.internal:6379/0', 'socket_timeout': 30}]",
    ]
    separate = {
        "CACHE_REDIS_URL": "redis://cache.internal:6379/1",
        "BROKER_REDIS_URL": "redis://broker.internal:6379/0",
        "CHANNEL_LAYER_REDIS_URL": "redis://channels.internal:6379/0",
    }
    assert show(tmp_path, *expressions, **PRODUCTION, **separate) == [
        "redis://cache.internal:6379/1",
        "redis://broker.internal:6379/0",
        "[{'address': 'redis://channels.internal:6379/0', 'socket_timeout': 30}]",
    ]


def test_replicas_and_pgbouncer_from_the_environment(tmp_path):
    lines = show(
        tmp_path,
        "settings.DATABASE_REPLICAS",
        "settings.DATABASES['replica2']['HOST']",
        "settings.DATABASES['replica2']['TEST']['MIRROR']",
        "[(db['DISABLE_SERVER_SIDE_CURSORS'], db['OPTIONS'])"
        " for db in settings.DATABASES.values()]",
        **PRODUCTION,
        DATABASE_REPLICA_URLS=(
            "postgres://rongcheng:secret@replica-a.internal:6432/rongcheng,"
            "postgres://rongcheng:secret@replica-b.internal:6432/rongcheng"
        ),
        DATABASE_POOLER="pgbouncer",
    )
    assert lines == [
        "['replica1', 'replica2']",
        "replica-b.internal",
        "default",
        str([(True, {"prepare_threshold": None})] * 3),
    ]


def test_without_a_pooler_server_side_cursors_and_prepared_statements_stay_on(tmp_path):
    lines = show(
        tmp_path,
        "settings.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS']",
        "settings.DATABASES['default']['OPTIONS']",
        **PRODUCTION,
    )
    assert lines == ["False", "{'prepare_threshold': 2}"]


def test_media_goes_to_the_bucket_named_in_the_environment(tmp_path):
    lines = show(
        tmp_path,
        "settings.STORAGES['default']['BACKEND']",
        "sorted((k, v) for k, v in settings.STORAGES['default']['OPTIONS'].items() "
        "if k in ('bucket_name', 'endpoint_url', 'custom_domain', 'querystring_auth'))",
        **PRODUCTION,
        MEDIA_S3_BUCKET="rongcheng-media",
        MEDIA_S3_ENDPOINT_URL="https://oss-cn-huhehaote.aliyuncs.com",
        MEDIA_S3_CUSTOM_DOMAIN="media.shop.example.com",
    )
    assert lines == [
        "rongcheng.core.media_storage.MediaBucketStorage",
        "[('bucket_name', 'rongcheng-media'), ('custom_domain', 'media.shop.example.com'), "
        "('endpoint_url', 'https://oss-cn-huhehaote.aliyuncs.com'), ('querystring_auth', False)]",
    ]


def test_celery_keeps_a_task_until_it_is_done(tmp_path):
    lines = show(
        tmp_path,
        "settings.CELERY_TASK_ACKS_LATE",
        "settings.CELERY_TASK_REJECT_ON_WORKER_LOST",
        "settings.CELERY_WORKER_PREFETCH_MULTIPLIER",
        "sorted(settings.CELERY_BROKER_TRANSPORT_OPTIONS.items())",
        **PRODUCTION,
    )
    assert lines == [
        "True",
        "True",
        "1",
        "[('unacked_restore_interval', 10), ('unacked_restore_throttle', 1), "
        "('visibility_timeout', 900)]",
    ]


def test_production_logs_json_and_reports_errors_to_sentry_when_given_a_dsn(tmp_path):
    lines = show(
        tmp_path,
        "settings.LOGGING['handlers']['console']['formatter']",
        "__import__('sentry_sdk').get_client().is_active()",
        "__import__('sentry_sdk').get_client().options['send_default_pii']",
        **PRODUCTION,
        SENTRY_DSN="https://0123456789abcdef@errors.example.com/7",
    )
    assert lines == ["json", "True", "False"]
