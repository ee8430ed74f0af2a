"""The one interface between the contact center and the telephony engine.

The engine does telephony (SIP/RTP, IVR playback, bridging, recording); the platform decides
what happens. Commands go to the engine through `TelephonyEngine`; the engine's own events are
normalised into the dataclasses below before `cti` sees them. Channels are named by the ids
the engine gives them (FreeSWITCH's channel UUIDs); an originated leg takes the id we choose.
A prompt is the name of a WAV file in the media storage ("" plays nothing); `collect_digits`
ends with a `Dtmf` event or, when nothing is pressed in `timeout` seconds, a `DigitTimeout`.
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class EavesdropMode(StrEnum):
    LISTEN = "listen"
    WHISPER = "whisper"
    BARGE = "barge"


@dataclass(frozen=True)
class CallOffered:
    channel: str
    caller_number: str
    callee_number: str
    at: datetime


@dataclass(frozen=True)
class Ringing:
    channel: str
    at: datetime


@dataclass(frozen=True)
class Answered:
    channel: str
    at: datetime


@dataclass(frozen=True)
class Dtmf:
    channel: str
    digit: str
    at: datetime


@dataclass(frozen=True)
class DigitTimeout:
    """The caller pressed nothing while the menu waited."""

    channel: str
    at: datetime


@dataclass(frozen=True)
class Bridged:
    channel: str
    other: str
    at: datetime


@dataclass(frozen=True)
class Unbridged:
    channel: str
    other: str
    at: datetime


@dataclass(frozen=True)
class RecordingReady:
    channel: str
    path: str
    seconds: int
    at: datetime


@dataclass(frozen=True)
class HungUp:
    channel: str
    cause: str
    billed_seconds: int
    at: datetime


Event = (
    CallOffered
    | Ringing
    | Answered
    | Dtmf
    | DigitTimeout
    | Bridged
    | Unbridged
    | RecordingReady
    | HungUp
)


class TelephonyEngine(Protocol):
    def answer(self, channel: str) -> None: ...
    def play(self, channel: str, prompt: str) -> None: ...
    def play_and_hang_up(self, channel: str, prompt: str) -> None: ...
    def collect_digits(
        self, channel: str, *, prompt: str, max_digits: int, timeout: int
    ) -> None: ...
    def park(self, channel: str) -> None: ...
    def hold(self, channel: str) -> None: ...
    def originate(self, channel: str, *, destination: str, caller_number: str) -> None: ...
    def bridge(self, channel: str, other: str) -> None: ...
    def transfer(self, channel: str, *, destination: str) -> None: ...
    def start_recording(self, channel: str, *, path: str) -> None: ...
    def stop_recording(self, channel: str, *, path: str) -> None: ...
    def eavesdrop(self, channel: str, *, target: str, mode: EavesdropMode) -> None: ...
    def hang_up(self, channel: str, *, cause: str = "NORMAL_CLEARING") -> None: ...
    def send_dtmf(self, channel: str, digits: str) -> None: ...


@dataclass
class FakeEngine:
    """An in-memory engine for unit tests: it records every command, in order, and does
    nothing else; the test plays the engine's part by feeding events to `cti`."""

    commands: list[tuple] = field(default_factory=list)

    def answer(self, channel: str) -> None:
        self.commands.append(("answer", channel))

    def play(self, channel: str, prompt: str) -> None:
        self.commands.append(("play", channel, prompt))

    def play_and_hang_up(self, channel: str, prompt: str) -> None:
        self.commands.append(("play_and_hang_up", channel, prompt))

    def collect_digits(self, channel: str, *, prompt: str, max_digits: int, timeout: int) -> None:
        self.commands.append(("collect_digits", channel, prompt, max_digits, timeout))

    def park(self, channel: str) -> None:
        self.commands.append(("park", channel))

    def hold(self, channel: str) -> None:
        self.commands.append(("hold", channel))

    def originate(self, channel: str, *, destination: str, caller_number: str) -> None:
        self.commands.append(("originate", channel, destination, caller_number))

    def bridge(self, channel: str, other: str) -> None:
        self.commands.append(("bridge", channel, other))

    def transfer(self, channel: str, *, destination: str) -> None:
        self.commands.append(("transfer", channel, destination))

    def start_recording(self, channel: str, *, path: str) -> None:
        self.commands.append(("start_recording", channel, path))

    def stop_recording(self, channel: str, *, path: str) -> None:
        self.commands.append(("stop_recording", channel, path))

    def eavesdrop(self, channel: str, *, target: str, mode: EavesdropMode) -> None:
        self.commands.append(("eavesdrop", channel, target, str(mode)))

    def hang_up(self, channel: str, *, cause: str = "NORMAL_CLEARING") -> None:
        self.commands.append(("hang_up", channel, cause))

    def send_dtmf(self, channel: str, digits: str) -> None:
        self.commands.append(("send_dtmf", channel, digits))
