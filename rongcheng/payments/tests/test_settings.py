"""The sandbox cashier lets anyone pay without money: production refuses to start with it on."""

from rongcheng.core.tests.test_settings import PRODUCTION, run


def test_production_refuses_the_payment_sandbox(tmp_path):
    result = run(tmp_path, "manage.py", "check", PAYMENTS_SANDBOX="true", **PRODUCTION)
    assert result.returncode != 0
    assert "PAYMENTS_SANDBOX is on with RONGCHENG_ENV=production" in result.stderr


def test_a_staging_site_may_allow_the_sandbox_explicitly(tmp_path):
    result = run(
        tmp_path,
        "manage.py",
        "check",
        PAYMENTS_SANDBOX="true",
        PAYMENTS_SANDBOX_IN_PRODUCTION="true",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
