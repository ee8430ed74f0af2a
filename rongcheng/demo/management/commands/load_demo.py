"""Load the demo data; safe to run any number of times (every step skips what exists)."""

from django.core.management.base import BaseCommand

from rongcheng.demo.accounts import load_demo_users
from rongcheng.demo.catalog import load_demo_catalog


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins of every role."

    def handle(self, *args, **options):
        logins = load_demo_users()
        logins += load_demo_catalog()
        self.stdout.write("\n演示账号 Demo logins (role / login / password):")
        for role, login, password in logins:
            self.stdout.write(f"  {role:<32} {login:<16} {password}")
