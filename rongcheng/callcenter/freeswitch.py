"""`FreeSwitchEngine`: the telephony engine in production, driven over its event socket.

The dialplan sends the hotline's calls to `park`; from then on this process decides. Commands
become `api` commands (`uuid_*`), `bgapi originate` (it waits for the far end, so it must not
block the worker) or applications queued on the channel with `sendmsg` (prompts and digit
collection, which play one after the other). Events are normalised by `normalise`.

Files are shared with FreeSWITCH: it reads prompts from and writes recordings to the media
storage, mounted on its hosts at `FREESWITCH_MEDIA_DIR`.
"""

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath

from django.conf import settings

from rongcheng.callcenter import engine as e
from rongcheng.callcenter.esl import EslConnection, EslDisconnected, EslError, Event

logger = logging.getLogger(__name__)

# The events the worker subscribes to; `normalise` turns them into the engine's events.
SUBSCRIBED_EVENTS = [
    "CHANNEL_PARK",
    "CHANNEL_PROGRESS",
    "CHANNEL_ANSWER",
    "DTMF",
    "CHANNEL_EXECUTE_COMPLETE",
    "CHANNEL_BRIDGE",
    "CHANNEL_UNBRIDGE",
    "CHANNEL_HANGUP_COMPLETE",
    "RECORD_STOP",
    "BACKGROUND_JOB",
]
# The channel variable play_and_get_digits fills with the caller's choice.
DIGIT_VARIABLE = "rc_ivr_digit"
# `#` ends input; the menu keys are digits and `*`.
DIGIT_PATTERN = "^[0-9*]+$"
SILENCE = "silence_stream://250"
ORIGINATION_UUID = re.compile(r"origination_uuid=([^,}]+)")


def _at(event: Event) -> datetime:
    # Event-Date-Timestamp is microseconds since the epoch.
    return datetime.fromtimestamp(int(event.get("Event-Date-Timestamp", "0")) / 1e6, tz=UTC)


def normalise(event: Event, *, media_dir: str) -> e.Event | None:
    """The engine event this FreeSWITCH event means, or None when it means nothing to CTI."""
    channel = event.get("Unique-ID")
    at = _at(event)
    inbound = event.get("Call-Direction") == "inbound"
    match event.name:
        case "CHANNEL_PARK" if inbound:
            return e.CallOffered(
                channel,
                event.get("Caller-Caller-ID-Number"),
                event.get("Caller-Destination-Number"),
                at,
            )
        case "CHANNEL_PROGRESS" if not inbound:
            return e.Ringing(channel, at)
        case "CHANNEL_ANSWER":
            return e.Answered(channel, at)
        case "DTMF":
            return e.Dtmf(channel, event.get("DTMF-Digit"), at)
        case "CHANNEL_EXECUTE_COMPLETE":
            # A menu that ends with a digit was reported by its DTMF event already.
            if event.get("Application") == "play_and_get_digits" and not event.get(
                f"variable_{DIGIT_VARIABLE}"
            ):
                return e.DigitTimeout(channel, at)
        case "CHANNEL_BRIDGE" | "CHANNEL_UNBRIDGE":
            kind = e.Bridged if event.name == "CHANNEL_BRIDGE" else e.Unbridged
            return kind(channel, event.get("Other-Leg-Unique-ID"), at)
        case "CHANNEL_HANGUP_COMPLETE":
            return e.HungUp(
                channel,
                event.get("Hangup-Cause"),
                int(event.get("variable_billsec") or 0),
                at,
            )
        case "RECORD_STOP":
            path = PurePosixPath(event.get("Record-File-Path"))
            if path.is_relative_to(media_dir):
                return e.RecordingReady(
                    channel,
                    str(path.relative_to(media_dir)),
                    int(event.get("variable_record_seconds") or 0),
                    at,
                )
        case "BACKGROUND_JOB" if event.get("Job-Command") == "originate":
            # An originate that fails before the leg exists (the phone is not registered)
            # has no hang-up event of its own: its job's result is the leg's end.
            result = event.body.split()
            leg = ORIGINATION_UUID.search(event.get("Job-Command-Arg"))
            if result and result[0] == "-ERR" and leg is not None:
                cause = result[1] if len(result) > 1 else "NORMAL_TEMPORARY_FAILURE"
                return e.HungUp(leg.group(1), cause, 0, at)
    return None


@contextmanager
def _refusal_logged(command: str) -> Iterator[None]:
    """A refusal (most often: the channel hung up meanwhile) is logged, not raised: the
    engine's events say what happened, and the step's other commands still go out."""
    try:
        yield
    except EslDisconnected:
        raise
    except EslError:
        logger.warning("FreeSWITCH refused %s", command, exc_info=True)


@dataclass
class FreeSwitchEngine:
    """`TelephonyEngine` over one ESL connection."""

    esl: EslConnection
    media_dir: str
    hold_music: str
    # How an agent's phone is dialled; `{number}` is the agent's number.
    agent_endpoint: str

    @classmethod
    def from_settings(cls, esl: EslConnection) -> "FreeSwitchEngine":
        return cls(
            esl,
            media_dir=settings.FREESWITCH_MEDIA_DIR,
            hold_music=settings.FREESWITCH_HOLD_MUSIC,
            agent_endpoint=settings.FREESWITCH_AGENT_ENDPOINT,
        )

    def _api(self, command: str) -> None:
        with _refusal_logged(command):
            self.esl.api(command)

    def _execute(self, channel: str, app: str, arg: str = "") -> None:
        with _refusal_logged(f"{app} on {channel}"):
            self.esl.execute(channel, app, arg)

    def _file(self, prompt: str) -> str:
        return f"{self.media_dir}/{prompt}" if prompt else SILENCE

    def _dial_string(self, destination: str) -> str:
        kind, _sep, number = destination.partition("/")
        return self.agent_endpoint.format(number=number) if kind == "agent" else destination

    def answer(self, channel: str) -> None:
        self._api(f"uuid_answer {channel}")

    def play(self, channel: str, prompt: str) -> None:
        self._execute(channel, "playback", self._file(prompt))

    def play_and_hang_up(self, channel: str, prompt: str) -> None:
        self.play(channel, prompt)
        self._execute(channel, "hangup", "NORMAL_CLEARING")

    def collect_digits(self, channel: str, *, prompt: str, max_digits: int, timeout: int) -> None:
        # Cleared first, so a menu that times out reports no digit of an earlier menu.
        self._execute(channel, "unset", DIGIT_VARIABLE)
        self._execute(
            channel,
            "play_and_get_digits",
            f"1 {max_digits} 1 {timeout * 1000} # {self._file(prompt)} {SILENCE} "
            f"{DIGIT_VARIABLE} {DIGIT_PATTERN}",
        )

    def park(self, channel: str) -> None:
        # Hold music until a bridge or transfer interrupts it.
        self._api(f"uuid_broadcast {channel} {self.hold_music} aleg")

    def hold(self, channel: str) -> None:
        self._api(f"uuid_hold {channel}")

    def originate(self, channel: str, *, destination: str, caller_number: str) -> None:
        variables = (
            f"origination_uuid={channel},origination_caller_id_number={caller_number},"
            "ignore_early_media=true"
        )
        self.esl.bgapi(f"originate {{{variables}}}{self._dial_string(destination)} &park()")

    def bridge(self, channel: str, other: str) -> None:
        self._api(f"uuid_bridge {channel} {other}")

    def transfer(self, channel: str, *, destination: str) -> None:
        self._api(f"uuid_transfer {channel} {self._dial_string(destination)}")

    def start_recording(self, channel: str, *, path: str) -> None:
        self._api(f"uuid_record {channel} start {self.media_dir}/{path}")

    def stop_recording(self, channel: str, *, path: str) -> None:
        self._api(f"uuid_record {channel} stop {self.media_dir}/{path}")

    def eavesdrop(self, channel: str, *, target: str, mode: e.EavesdropMode) -> None:
        """`channel` is the supervisor's call: listen and whisper eavesdrop on the agent's leg
        (whisper speaks to the agent alone), barge joins the conversation three-way."""
        if mode == e.EavesdropMode.BARGE:
            self._execute(channel, "three_way", target)
            return
        whisper = "true" if mode == e.EavesdropMode.WHISPER else "false"
        self._execute(channel, "set", f"eavesdrop_whisper_aleg={whisper}")
        self._execute(channel, "eavesdrop", target)

    def hang_up(self, channel: str, *, cause: str = "NORMAL_CLEARING") -> None:
        self._api(f"uuid_kill {channel} {cause}")

    def send_dtmf(self, channel: str, digits: str) -> None:
        self._api(f"uuid_send_dtmf {channel} {digits}")
