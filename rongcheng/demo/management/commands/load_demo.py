"""Load the demo data; safe to run any number of times (every step skips what exists)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rongcheng.demo.accounts import load_demo_users
from rongcheng.demo.callcenter import load_demo_callcenter
from rongcheng.demo.catalog import load_demo_catalog
from rongcheng.demo.community import load_community
from rongcheng.demo.english import load_english
from rongcheng.demo.help import load_help
from rongcheng.demo.hotline import load_hotline
from rongcheng.search.selectors import index_is_empty
from rongcheng.search.services import index_rebuild


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins of every role."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            # The demo creates `admin` with a published password and an invented catalogue.
            raise CommandError("load_demo refuses to run with RONGCHENG_ENV=production.")
        logins = load_demo_users()
        logins += load_demo_catalog()
        spoken = load_hotline()
        if spoken:
            self.stdout.write(f"热线语音 Hotline prompts spoken: {spoken}")
        for login, number in load_demo_callcenter():
            self.stdout.write(f"坐席 Call-center agent: {login} → {number}")
        load_help()
        load_community()
        english = load_english()
        if english:
            self.stdout.write(f"英文内容 English values: {english}")
        if english or index_is_empty():
            counts = index_rebuild()
            self.stdout.write(f"搜索索引 Search index: {counts}")
        self.stdout.write("\n演示账号 Demo logins (role / login / password):")
        for role, login, password in logins:
            self.stdout.write(f"  {role:<32} {login:<16} {password}")
