"""Run the call center lab: Kamailio, rtpengine and the lab engine (docs/callcenter.md)."""

import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rongcheng.callcenter import lab_proxy, lab_runner


class Command(BaseCommand):
    help = "Start Kamailio, rtpengine and the lab engine on 127.0.0.1 and handle calls."

    def add_arguments(self, parser):
        parser.add_argument("--sip-port", type=int, default=5070, help="Kamailio's SIP (UDP)")
        parser.add_argument("--ws-port", type=int, default=5066, help="Kamailio's WebSocket")
        parser.add_argument("--hotline-port", type=int, default=5080, help="the lab engine's")
        parser.add_argument("--check", action="store_true", help="only check it is installed")

    def handle(self, *args, sip_port: int, ws_port: int, hotline_port: int, check: bool, **_):
        if not lab_proxy.installed():
            raise CommandError(
                "The call center lab is not installed: "
                "apt-get install kamailio kamailio-websocket-modules rtpengine-daemon"
            )
        if check:
            return
        stop = []
        signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
        signal.signal(signal.SIGINT, lambda *_: stop.append(True))
        with lab_runner.lab(hotline_port=hotline_port, sip_port=sip_port, ws_port=ws_port) as (
            proxy,
            engine,
        ):
            hotline = f"sip:{settings.CALLCENTER_HOTLINE}@{proxy.domain}"
            self.stdout.write(
                f"Call center lab: dial {hotline}; soft phones register at {proxy.ws_url} "
                f"as sip:<agent number>@{proxy.domain}."
            )
            lab_runner.serve(engine, stopping=lambda: bool(stop))
