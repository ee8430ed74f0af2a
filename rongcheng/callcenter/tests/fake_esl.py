"""A fake FreeSWITCH event socket for the tests: it greets, checks the password, answers every
command as FreeSWITCH does, records the commands, and replays a transcript of events.

A transcript (tests/esl/*.txt) is FreeSWITCH's wire format, cut into sections by lines
`%% after <text>`: a section is sent right after the reply to the next command that contains
<text>. Legs that CTI originates get ids CTI chooses, so in a transcript the n-th originated
leg is written 00000000-0000-4000-8000-00000000000n and replaced, at the same length, by the
`origination_uuid` of the n-th `originate` the server receives.
"""

import re
import socket
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

TRANSCRIPTS = Path(__file__).parent / "esl"
ORIGINATION = re.compile(r"origination_uuid=([0-9a-f-]{36})")


def placeholder(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def load_transcript(name: str) -> list[tuple[str, str]]:
    """[(trigger text, the frames sent after it)]"""
    text = (TRANSCRIPTS / name).read_text()
    sections = re.split(r"^%% after (.+)\n", text, flags=re.MULTILINE)
    return list(zip(sections[1::2], sections[2::2], strict=True))


def _reply(text: str) -> bytes:
    return f"Content-Type: command/reply\nReply-Text: {text}\n\n".encode()


def _api_response(body: str) -> bytes:
    data = body.encode()
    return f"Content-Type: api/response\nContent-Length: {len(data)}\n\n".encode() + data


@dataclass
class FakeEslServer:
    transcript: list[tuple[str, str]]
    password: str = "ClueCon"
    # api command prefix → the body FreeSWITCH answers (default "+OK\n")
    api_answers: dict[str, str] = field(default_factory=dict)
    commands: list[str] = field(default_factory=list)
    originated: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._listener.close()
        self._thread.join(timeout=5)

    def _serve(self) -> None:
        try:
            conn, _address = self._listener.accept()
        except OSError:
            return  # closed before anyone connected
        with conn, conn.makefile("rb") as reader:
            conn.sendall(b"Content-Type: auth/request\n\n")
            while (command := self._read_command(reader)) is not None:
                self.commands.append(command)
                if not self._answer(conn, command):
                    return
                self._replay_after(conn, command)

    @staticmethod
    def _read_command(reader) -> str | None:
        lines: list[str] = []
        while True:
            raw = reader.readline()
            if not raw:
                return None
            line = raw.decode().rstrip("\n")
            if not line and lines:
                return "\n".join(lines)
            if line:
                lines.append(line)

    def _answer(self, conn: socket.socket, command: str) -> bool:
        """Send FreeSWITCH's reply; False once the connection is to end."""
        verb, _sep, rest = command.partition(" ")
        if verb == "auth":
            if rest != self.password:
                conn.sendall(_reply("-ERR invalid"))
                return False
            conn.sendall(_reply("+OK accepted"))
        elif verb == "event":
            conn.sendall(_reply("+OK event listener enabled plain"))
        elif verb == "api":
            answer = next(
                (body for prefix, body in self.api_answers.items() if rest.startswith(prefix)),
                "+OK\n",
            )
            conn.sendall(_api_response(answer))
        elif verb == "bgapi":
            if found := ORIGINATION.search(rest):
                self.originated.append(found.group(1))
            job = uuid.uuid4()
            conn.sendall(
                f"Content-Type: command/reply\nReply-Text: +OK Job-UUID: {job}\n"
                f"Job-UUID: {job}\n\n".encode()
            )
        else:  # sendmsg
            conn.sendall(_reply("+OK"))
        return True

    def _replay_after(self, conn: socket.socket, command: str) -> None:
        if not self.transcript or self.transcript[0][0] not in command:
            return
        _trigger, frames = self.transcript.pop(0)
        for n, leg in enumerate(self.originated, start=1):
            frames = frames.replace(placeholder(n), leg)
        conn.sendall(frames.encode())
