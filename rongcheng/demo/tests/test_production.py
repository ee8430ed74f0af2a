import pytest
from django.core.management import CommandError, call_command

from rongcheng.accounts.models import User


@pytest.mark.django_db
def test_the_demo_is_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run with RONGCHENG_ENV=production"):
        call_command("load_demo")
    assert User.objects.count() == 0
