"""Run the call center's engine worker against FreeSWITCH (docs/callcenter.md)."""

import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rongcheng.callcenter import worker
from rongcheng.callcenter.esl import EslError


class Command(BaseCommand):
    help = "Drive the call center from FreeSWITCH's event socket (FREESWITCH_ESL_*)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Stop when the connection ends instead of reconnecting.",
        )

    def handle(self, *args, once: bool = False, **options):
        if not settings.FREESWITCH_ESL_PASSWORD:
            raise CommandError("Set FREESWITCH_ESL_PASSWORD to the event socket's password.")
        stop = threading.Event()
        if not once:
            # The web processes' commands, on a connection of their own (worker.py).
            threading.Thread(
                target=worker.serve_commands, args=(stop,), name="engine-commands", daemon=True
            ).start()
        while True:
            try:
                esl = worker.connect()
            except (OSError, EslError) as error:
                self.stderr.write(f"FreeSWITCH event socket: {error}")
            else:
                try:
                    handled = worker.run(esl)
                    self.stdout.write(f"Connection ended after {handled} events.")
                except (OSError, EslError) as error:
                    self.stderr.write(f"FreeSWITCH event socket: {error}")
                finally:
                    esl.close()
            if once:
                return
            time.sleep(worker.RECONNECT_SECONDS)
