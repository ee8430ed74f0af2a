"""The one interface between the contact center and the telephony engine.

The engine does telephony (SIP/RTP, IVR playback, bridging, recording); the platform decides
what happens. Commands go to the engine through `TelephonyEngine`; the engine's own events are
normalised into the dataclasses below before `cti` sees them. Channels are named by the ids
the engine gives them (FreeSWITCH's channel UUIDs); an originated leg takes the id we choose.
A prompt is the name of a WAV file in the media storage ("" plays nothing); `collect_digits`
ends with a `Dtmf` event or, when nothing is pressed in `timeout` seconds, a `DigitTimeout`.
"""

import inspect
from abc import ABC, abstractmethod
from collections.abc import Sequence
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


# The commands, by name: what a command sent as a tuple may be.
COMMANDS = frozenset(name for name in vars(TelephonyEngine) if not name.startswith("_"))


class CommandTuples(ABC):
    """A `TelephonyEngine` that turns each command into one tuple — its name, then its
    arguments in the order of the interface — and hands it to `send`: `FakeEngine` keeps
    them, the worker channel (`commands.py`) carries them to the engine worker, where
    `perform` calls the real engine with them."""

    @abstractmethod
    def send(self, command: tuple) -> None:
        """Keep or carry one command."""

    def answer(self, channel: str) -> None:
        self.send(("answer", channel))

    def play(self, channel: str, prompt: str) -> None:
        self.send(("play", channel, prompt))

    def play_and_hang_up(self, channel: str, prompt: str) -> None:
        self.send(("play_and_hang_up", channel, prompt))

    def collect_digits(self, channel: str, *, prompt: str, max_digits: int, timeout: int) -> None:
        self.send(("collect_digits", channel, prompt, max_digits, timeout))

    def park(self, channel: str) -> None:
        self.send(("park", channel))

    def hold(self, channel: str) -> None:
        self.send(("hold", channel))

    def originate(self, channel: str, *, destination: str, caller_number: str) -> None:
        self.send(("originate", channel, destination, caller_number))

    def bridge(self, channel: str, other: str) -> None:
        self.send(("bridge", channel, other))

    def transfer(self, channel: str, *, destination: str) -> None:
        self.send(("transfer", channel, destination))

    def start_recording(self, channel: str, *, path: str) -> None:
        self.send(("start_recording", channel, path))

    def stop_recording(self, channel: str, *, path: str) -> None:
        self.send(("stop_recording", channel, path))

    def eavesdrop(self, channel: str, *, target: str, mode: EavesdropMode) -> None:
        self.send(("eavesdrop", channel, target, str(mode)))

    def hang_up(self, channel: str, *, cause: str = "NORMAL_CLEARING") -> None:
        self.send(("hang_up", channel, cause))

    def send_dtmf(self, channel: str, digits: str) -> None:
        self.send(("send_dtmf", channel, digits))


def perform(engine: TelephonyEngine, command: Sequence) -> None:
    """Give `engine` a command sent as a tuple by `CommandTuples`."""
    name, *values = command
    if name not in COMMANDS:
        raise ValueError(f"not an engine command: {name!r}")
    parameters = list(inspect.signature(getattr(TelephonyEngine, name)).parameters.values())[1:]
    args, kwargs = [], {}
    for parameter, value in zip(parameters, values, strict=True):
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[parameter.name] = value
        else:
            args.append(value)
    if name == "eavesdrop":
        kwargs["mode"] = EavesdropMode(kwargs["mode"])
    getattr(engine, name)(*args, **kwargs)


@dataclass
class FakeEngine(CommandTuples):
    """An in-memory engine for unit tests: it records every command, in order, and does
    nothing else; the test plays the engine's part by feeding events to `cti`."""

    commands: list[tuple] = field(default_factory=list)

    def send(self, command: tuple) -> None:
        self.commands.append(command)
