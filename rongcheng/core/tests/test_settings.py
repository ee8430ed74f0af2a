"""RONGCHENG_ENV=production: refuses to start half-configured, passes Django's deploy checks."""

import os
import subprocess
import sys

from django.conf import settings

SERVICES = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")
LICENCE = ("LICENCE_COMPANY", "LICENCE_CREDIT_CODE", "LICENCE_ICP", "LICENCE_ADDRESS")
REQUIRED = (*SERVICES, "TRUSTED_PROXY_COUNT", *LICENCE, "LICENCE_PHONE")
# What the child process must not inherit from the test process: the production settings under
# test, and the async switch the browser tests set for their event loop.
NOT_INHERITED = (
    *REQUIRED,
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
PRODUCTION = {
    "SECRET_KEY": "k3J9-vQx7_Lr2mWp8ZtYb4NcHs6Ue1Fa0Gd5Ri3Oq9Tl7Xw2Ej8Kz4My6Pn1Vc5Bh",
    "ALLOWED_HOSTS": "shop.example.com,www.shop.example.com",
    "DATABASE_URL": "postgres://rongcheng:secret@db.internal:5432/rongcheng",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "TRUSTED_PROXY_COUNT": "1",
    "LICENCE_COMPANY": "上海绒品贸易有限公司",
    "LICENCE_CREDIT_CODE": "91310000MA1K000000",
    "LICENCE_ICP": "沪ICP备20269999号-1",
    "LICENCE_ADDRESS": "上海市静安区南京西路1号",
    "LICENCE_PHONE": "021-60000000",
}


def run(tmp_path, *args: str, **variables: str) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if name not in NOT_INHERITED}
    environment.update(RONGCHENG_ENV="production", RONGCHENG_VAR_DIR=str(tmp_path), **variables)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_its_services(tmp_path):
    result = run(tmp_path, "manage.py", "check")
    assert result.returncode != 0
    assert (
        "RONGCHENG_ENV=production needs these environment variables: "
        "SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL, TRUSTED_PROXY_COUNT, "
        "LICENCE_COMPANY, LICENCE_CREDIT_CODE, LICENCE_ICP, LICENCE_ADDRESS, LICENCE_PHONE"
    ) in result.stderr


def test_production_names_only_what_is_missing(tmp_path):
    present = {name: PRODUCTION[name] for name in ("SECRET_KEY", *LICENCE)}
    result = run(tmp_path, "manage.py", "check", **present)
    assert result.returncode != 0
    assert (
        "variables: ALLOWED_HOSTS, DATABASE_URL, REDIS_URL, TRUSTED_PROXY_COUNT, LICENCE_PHONE\n"
    ) in result.stderr


def test_production_refuses_the_demo_licence_left_empty(tmp_path):
    """An empty LICENCE_ICP= line is missing, not the demo's number by default."""
    result = run(tmp_path, "manage.py", "check", **{**PRODUCTION, "LICENCE_ICP": ""})
    assert result.returncode != 0
    assert "needs these environment variables: LICENCE_ICP\n" in result.stderr


def test_production_takes_the_licence_and_proxy_count_from_the_environment(tmp_path):
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "print(settings.BUSINESS_LICENCE['icp'], settings.RONGCHENG['TRUSTED_PROXY_COUNT'])\n"
    )
    result = run(tmp_path, "-c", script, DJANGO_SETTINGS_MODULE="config.settings", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "沪ICP备20269999号-1 1\n"


def test_production_passes_the_deploy_checks(tmp_path):
    result = run(
        tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION
    )
    assert result.returncode == 0, result.stderr
    # The two later HSTS stages (include subdomains, preload), left for later on purpose.
    assert "System check identified no issues (2 silenced)." in result.stdout


def test_the_deploy_checks_pass_after_the_browser_tests_ran_in_this_process(tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as tests/browser/conftest.py does
    result = run(
        tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION
    )
    assert result.returncode == 0, result.stderr


def test_production_redirects_to_https_except_the_health_probe(tmp_path):
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='shop.example.com')\n"
        "for path in ('/', '/healthz'):\n"
        "    response = client.get(path)\n"
        "    print(path, response.status_code, response.get('Location', '-'))\n"
    )
    result = run(tmp_path, "-c", script, DJANGO_SETTINGS_MODULE="config.settings", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["/ 301 https://shop.example.com/", "/healthz 200 -"]


def test_passwords_are_hashed_with_argon2():
    # Tests hash with MD5 for speed (conftest); the project's own setting is Argon2.
    from config import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


def test_the_embedded_setup_serves_media(client, settings, tmp_path):
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "a.jpg").write_bytes(b"\xff\xd8jpeg")
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/media/catalog/a.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8jpeg"
