"""A small client of FreeSWITCH's event socket (mod_event_socket, inbound mode).

The wire format: every message is a block of `Name: value` lines ended by an empty line; a
`Content-Length` header announces a body of that many bytes. Replies are typed by
`Content-Type`: `auth/request` greets, `command/reply` answers a command (`Reply-Text: +OK …`
or `-ERR …`), `api/response` carries an `api` result as its body, `text/event-plain` carries
an event whose body is itself header lines, values URL-encoded, and possibly a body of its own,
and `text/disconnect-notice` says goodbye.

One connection, one thread: a command is written, then messages are read until its reply;
events that arrive meanwhile wait in order for `next_event`.
"""

import socket
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import unquote

# Replies to commands; everything else the server sends unasked.
REPLY_TYPES = frozenset({"command/reply", "api/response"})


class EslError(Exception):
    """The event socket refused a command or the password."""


class EslDisconnected(EslError):
    """The server closed the connection or said goodbye."""


@dataclass
class Message:
    headers: dict[str, str]
    body: str = ""

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def reply_text(self) -> str:
        return self.headers.get("Reply-Text", "")


@dataclass
class Event:
    """An event's headers (decoded) and its own body, if it has one."""

    headers: dict[str, str]
    body: str = ""

    @property
    def name(self) -> str:
        return self.headers.get("Event-Name", "")

    def get(self, name: str, default: str = "") -> str:
        return self.headers.get(name, default)


def _header_lines(text: str, *, decode: bool) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in text.splitlines():
        name, sep, value = line.partition(":")
        if sep:
            value = value.strip()
            headers[name.strip()] = unquote(value) if decode else value
    return headers


def parse_event(body: str) -> Event:
    head, _sep, rest = body.partition("\n\n")
    headers = _header_lines(head, decode=True)
    length = int(headers.get("Content-Length", 0))
    return Event(headers, rest.encode()[:length].decode() if length else "")


@dataclass
class EslConnection:
    sock: socket.socket
    pending: deque[Event] = field(default_factory=deque)

    def __post_init__(self) -> None:
        self._reader = self.sock.makefile("rb")

    @classmethod
    def open(cls, host: str, port: int, password: str, *, timeout: float = 10) -> "EslConnection":
        """Connect and authenticate; raises EslError when the password is refused."""
        sock = socket.create_connection((host, port), timeout=timeout)
        sock.settimeout(None)
        connection = cls(sock)
        greeting = connection._read()
        if greeting.content_type != "auth/request":
            connection.close()
            raise EslError(f"unexpected greeting {greeting.content_type!r}")
        try:
            connection.command(f"auth {password}")
        except EslError:
            connection.close()
            raise
        return connection

    def close(self) -> None:
        self._reader.close()
        self.sock.close()

    def _read(self) -> Message:
        lines: list[str] = []
        while True:
            raw = self._reader.readline()
            if not raw:
                raise EslDisconnected("the event socket closed")
            line = raw.decode().rstrip("\r\n")
            if not line:
                if lines:
                    break
                continue  # blank lines between messages
            lines.append(line)
        headers = _header_lines("\n".join(lines), decode=False)
        length = int(headers.get("Content-Length", 0))
        body = self._reader.read(length).decode() if length else ""
        if length and len(body.encode()) < length:
            raise EslDisconnected("the event socket closed inside a message")
        return Message(headers, body)

    def _send(self, text: str) -> None:
        self.sock.sendall(text.encode() + b"\n\n")

    def command(self, text: str) -> Message:
        """Send one command (it may span lines, as `sendmsg` does) and return its reply;
        a `-ERR` reply raises EslError."""
        self._send(text)
        while True:
            message = self._read()
            if message.content_type in REPLY_TYPES:
                break
            self._keep(message)
        answer = message.body if message.content_type == "api/response" else message.reply_text
        if answer.startswith("-ERR"):
            # Named by its first line, but never with the password.
            what = "auth" if text.startswith("auth ") else text.splitlines()[0]
            raise EslError(f"{what}: {answer.strip()}")
        return message

    def api(self, command: str) -> str:
        return self.command(f"api {command}").body.strip()

    def bgapi(self, command: str) -> str:
        """Run a command that takes time (originate) without waiting; returns the job id."""
        return self.command(f"bgapi {command}").headers.get("Job-UUID", "")

    def execute(self, channel: str, app: str, arg: str = "") -> None:
        """Queue a dialplan application on a parked channel; they run in the order sent."""
        lines = [f"sendmsg {channel}", "call-command: execute", f"execute-app-name: {app}"]
        if arg:
            lines.append(f"execute-app-arg: {arg}")
        self.command("\n".join(lines))

    def subscribe(self, names: list[str]) -> None:
        self.command("event plain " + " ".join(names))

    def next_event(self) -> Event:
        """The next event, in the order the server sent it; raises EslDisconnected at the end."""
        while not self.pending:
            self._keep(self._read())
        return self.pending.popleft()

    def _keep(self, message: Message) -> None:
        if message.content_type == "text/event-plain":
            self.pending.append(parse_event(message.body))
        elif message.content_type == "text/disconnect-notice":
            raise EslDisconnected(message.body.strip() or "disconnect notice")
