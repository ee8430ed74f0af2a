"""Kamailio and rtpengine in front of the lab engine, from Debian's packages (`kamailio`,
`kamailio-websocket-modules`, `rtpengine-daemon`): phones register with Kamailio (browsers over
its WebSocket), the lab engine rings agents through it, and rtpengine carries a browser's
WebRTC media (ICE, DTLS-SRTP) as plain RTP to the lab engine. Both run in the foreground as
children of the process that starts them, bound to 127.0.0.1 only.
"""

import functools
import glob
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

TEMPLATE = settings.BASE_DIR / "deploy" / "kamailio" / "kamailio.cfg"
MODULES = ("websocket.so", "rtpengine.so", "registrar.so")
RTP_PORTS = 200  # rtpengine's media ports: two per browser leg and call


class LabProxyError(RuntimeError):
    pass


@functools.cache
def modules_dir() -> Path | None:
    for path in sorted(glob.glob("/usr/lib/*/kamailio/modules")):
        if all((Path(path) / module).exists() for module in MODULES):
            return Path(path)
    return None


@functools.cache
def installed() -> bool:
    """Whether this machine has the lab's packages (asked once per process)."""
    return bool(shutil.which("kamailio") or Path("/usr/sbin/kamailio").exists()) and bool(
        shutil.which("rtpengine") and modules_dir()
    )


def free_port(kind: int = socket.SOCK_DGRAM) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _kamailio() -> str:
    return shutil.which("kamailio") or "/usr/sbin/kamailio"


@dataclass
class LabProxy:
    """`hotline_port` is the lab engine's: every number no phone registered goes there."""

    hotline_port: int
    sip_port: int = field(default_factory=free_port)
    ws_port: int = field(default_factory=lambda: free_port(socket.SOCK_STREAM))
    ng_port: int = field(default_factory=free_port)
    run_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="rc-lab-")))
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.ws_port}"

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.sip_port}"

    def config(self) -> str:
        fields = {
            "SIP_PORT": self.sip_port,
            "WS_PORT": self.ws_port,
            "NG_PORT": self.ng_port,
            "HOTLINE_PORT": self.hotline_port,
            "MODULES": modules_dir(),
        }
        text = TEMPLATE.read_text()
        for name, value in fields.items():
            text = text.replace(f"@{name}@", str(value))
        return text

    def start(self, timeout: float = 10) -> None:
        config = self.run_dir / "kamailio.cfg"
        config.write_text(self.config())
        # Fixed programs and arguments of our own making: nothing from a request.
        check = subprocess.run(  # noqa: S603
            [_kamailio(), "-c", "-f", str(config)], capture_output=True, text=True, check=False
        )
        if check.returncode:
            raise LabProxyError(check.stderr[-2000:])
        # Media ports from a range of their own, so labs side by side rarely meet.
        low = 30000 + (self.ng_port % 100) * RTP_PORTS
        self._spawn(
            "rtpengine",
            [
                shutil.which("rtpengine") or "rtpengine",
                "--config-file=none",
                "--foreground",
                "--log-stderr",
                "--log-level=4",
                "--table=-1",
                "--interface=127.0.0.1",
                f"--listen-ng=127.0.0.1:{self.ng_port}",
                f"--port-min={low}",
                f"--port-max={low + RTP_PORTS - 1}",
                f"--pidfile={self.run_dir / 'rtpengine.pid'}",
            ],
        )
        # Kamailio pings rtpengine once at start and leaves it disabled for a minute if mute.
        self._wait(self._rtpengine_answers, timeout)
        self._spawn(
            "kamailio",
            [
                _kamailio(),
                "-DD",
                "-E",
                "-f",
                str(config),
                "-P",
                str(self.run_dir / "kamailio.pid"),
                "-Y",
                str(self.run_dir),
                "-m",
                "64",
                "-M",
                "8",
            ],
        )
        self._wait(self._websocket_listens, timeout)

    def _wait(self, ready, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                logs = self.logs()
                self.stop()
                raise LabProxyError(logs)
            time.sleep(0.1)

    def _spawn(self, name: str, command: list[str]) -> None:
        with (self.run_dir / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        self.processes.append(process)

    def _rtpengine_answers(self) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as ng:
            ng.settimeout(0.2)
            try:
                ng.sendto(b"lab d7:command4:pinge", ("127.0.0.1", self.ng_port))
                return b"pong" in ng.recv(256)
            except OSError:
                return False

    def _websocket_listens(self) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.2)
            return probe.connect_ex(("127.0.0.1", self.ws_port)) == 0

    def logs(self) -> str:
        return "\n".join(
            f"{path.name}:\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.run_dir.glob("*.log"))
        )

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
        with suppress(OSError):
            shutil.rmtree(self.run_dir)


@contextmanager
def running(hotline_port: int, **ports: int):
    """Kamailio and rtpengine for the lab engine at `hotline_port`; `sip_port`, `ws_port` and
    `ng_port` are free ones unless given."""
    proxy = LabProxy(hotline_port=hotline_port, **ports)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
