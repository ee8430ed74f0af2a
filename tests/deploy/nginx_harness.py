"""Runs the shop's nginx configuration for real on loopback ports, in front of a stand-in for
gunicorn that answers with what it received (so tests see what nginx does to requests), or of
real web hosts listed in its upstream."""

import http.client
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.conf import settings

DEPLOY = Path(settings.BASE_DIR, "deploy", "nginx")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SHARED_FILES = ("shared.conf", "locations.conf", "security-headers.conf")
HOST = "shop.example.com"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class EchoHandler(BaseHTTPRequestHandler):
    """gunicorn's stand-in: answers 200 with the request's path and headers as JSON."""

    def do_GET(self):
        body = json.dumps({"path": self.path, "headers": dict(self.headers.items())}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class RunningNginx:
    http_port: int
    https_port: int | None
    root: Path

    def get(self, path: str, *, https: bool = False, **headers: str) -> Response:
        if https:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, context=context, timeout=10
            )
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10)
        names = {name.replace("_", "-"): value for name, value in headers.items()}
        connection.request("GET", path, headers={"Host": HOST, **names})
        response = connection.getresponse()
        result = Response(response.status, response.headers, response.read())
        connection.close()
        return result


def _self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    key, cert = directory / "privkey.pem", directory / "fullchain.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", f"/CN={HOST}", "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def render(
    topology: str, root: Path, backend_ports: tuple[int, ...]
) -> tuple[Path, int, int | None]:
    """The topology's files as an operator installs them, moved to `root` and loopback ports;
    every backend is a web host of the upstream, the first also takes /ws/."""
    conf_dir = root / "conf"
    conf_dir.mkdir()
    http_port = free_port()
    https_port = free_port() if topology == "tls-at-nginx.conf" else None
    cert, key = _self_signed_certificate(conf_dir)
    replacements = {
        "/etc/nginx/rongcheng/": f"{conf_dir}/",
        "/var/lib/rongcheng": str(root / "var"),
        "/srv/rongcheng/published": str(root / "published"),
        "/srv/rongcheng/media/": f"{root / 'media'}/",
        "server 127.0.0.1:8001;": "\n    ".join(
            f"server 127.0.0.1:{port};" for port in backend_ports
        ),
        "127.0.0.1:8002": f"127.0.0.1:{backend_ports[0]}",
        "listen [::]:80;": "",
        "listen [::]:443 ssl http2;": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "/etc/ssl/rongcheng/fullchain.pem": str(cert),
        "/etc/ssl/rongcheng/privkey.pem": str(key),
    }
    for name in (*SHARED_FILES, topology):
        text = (DEPLOY / name).read_text()
        for old, new in replacements.items():
            text = text.replace(old, new)
        (conf_dir / name).write_text(text)
    main = root / "nginx.conf"
    temp = root / "temp"
    temp.mkdir()
    main.write_text(
        f"daemon off;\nmaster_process off;\npid {root}/nginx.pid;\n"
        f"error_log {root}/error.log;\nevents {{}}\nhttp {{\n"
        "    include /etc/nginx/mime.types;\n    access_log off;\n"
        + "".join(
            f"    {kind}_temp_path {temp}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"    include {conf_dir / topology};\n}}\n"
    )
    return main, http_port, https_port


def check(main: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NGINX, "-t", "-c", str(main), "-p", str(main.parent)], capture_output=True, text=True
    )


def _wait_for(port: int, process: subprocess.Popen, root: Path) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            error_log = root / "error.log"
            assert process.poll() is None, error_log.read_text() if error_log.exists() else ""
            assert time.monotonic() < deadline, "nginx did not come up"
            time.sleep(0.05)


@contextmanager
def running_nginx(
    topology: str, root: Path, backend_ports: tuple[int, ...] = ()
) -> Iterator[RunningNginx]:
    """nginx in front of `backend_ports`, or of the echoing stand-in when there are none.
    It serves published pages from `root`/published."""
    backend = None
    if not backend_ports:
        backend = ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
        threading.Thread(target=backend.serve_forever, daemon=True).start()
        backend_ports = (backend.server_address[1],)
    for directory in ("published", "media", "var/static"):
        (root / directory).mkdir(parents=True, exist_ok=True)
    main, http_port, https_port = render(topology, root, backend_ports)
    process = subprocess.Popen(
        [NGINX, "-c", str(main), "-p", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(http_port, process, root)
        if https_port:
            _wait_for(https_port, process, root)
        yield RunningNginx(http_port, https_port, root)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if backend is not None:
            backend.shutdown()
            backend.server_close()
