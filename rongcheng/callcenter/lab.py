"""The lab engine: `TelephonyEngine` on PJSIP's pjsua2, in this process, for the tests and the
embedded setup. It is a SIP user agent on loopback: callers dial its hotline account, agents'
phones are SIP accounts it calls, and its conference bridge plays prompts, bridges, records
and lets a supervisor listen in.

pjsua is one endpoint per process and calls back from `libHandleEvents`: `run_for` pumps it,
collects the engine events the callbacks noted, and hands them to CTI outside the callbacks.
"""

import gc
import time
import uuid
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pjsua2 as pj

from rongcheng.callcenter import engine as e
from rongcheng.callcenter import hold_music

HOLD_MUSIC = "callcenter/lab/hold-music.wav"

# SIP final statuses → the hang-up causes CTI knows (FreeSWITCH's names).
CAUSES = {
    486: "USER_BUSY",
    603: "CALL_REJECTED",
    487: "ORIGINATOR_CANCEL",
    408: "NO_ANSWER",
    480: "NO_ANSWER",
}


def _now() -> datetime:
    return datetime.now(tz=UTC)


def _user(uri: str) -> str:
    """ "Name" <sip:031966667777@127.0.0.1:5060> → 031966667777"""
    return uri.split("sip:", 1)[-1].split("@", 1)[0]


class _Player(pj.AudioMediaPlayer):
    def __init__(self, channel: "_Channel") -> None:
        super().__init__()
        self.channel = channel

    def onEof2(self) -> None:
        self.channel.playback_ended = True


class _Channel(pj.Call):
    def __init__(self, lab: "LabEngine", account: pj.Account, name: str, call_id: int) -> None:
        super().__init__(account, call_id)
        self.lab = lab
        self.name = name
        self.media: pj.AudioMedia | None = None
        self.playlist: deque[str] = deque()  # files; "" hangs up
        self.player: _Player | None = None
        self.playback_ended = False
        self.digit_timeout: float | None = None  # seconds to wait once the prompt ends
        self.music: str | None = None  # played over and over once the playlist is done
        self.deadline: float | None = None
        self.peer: _Channel | None = None
        self.recorder: pj.AudioMediaRecorder | None = None
        self.recording: tuple[str, float] | None = None

    def onCallState(self, prm) -> None:
        info = self.getInfo()
        if info.state == pj.PJSIP_INV_STATE_CONFIRMED:
            self.lab.events.append(e.Answered(self.name, _now()))
        elif info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self.lab.ended.append(self)
            if self.recording is not None:
                self.lab.stop_recording(self.name, path=self.recording[0])
            cause = CAUSES.get(info.lastStatusCode, "NORMAL_CLEARING")
            self.lab.events.append(e.HungUp(self.name, cause, info.connectDuration.sec, _now()))

    def onCallMediaState(self, prm) -> None:
        info = self.getInfo()  # held: its media list dies with it
        for index, media in enumerate(info.media):
            if media.type == pj.PJMEDIA_TYPE_AUDIO and media.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                self.media = self.getAudioMedia(index)

    def onDtmfDigit(self, prm) -> None:
        self.deadline = None
        self.digit_timeout = None
        self.playlist.clear()
        self._stop_player()
        self.lab.events.append(e.Dtmf(self.name, prm.digit, _now()))

    def _stop_player(self) -> None:
        if self.player is not None and self.media is not None:
            self.player.stopTransmit(self.media)
        self.player = None

    def tick(self) -> None:
        """Play the next file, start the digit timeout, or time out."""
        if self.media is None:
            return
        if self.player is None or self.playback_ended:
            self._stop_player()
            self.playback_ended = False
            if self.playlist:
                self._play(self.playlist.popleft())
            elif self.digit_timeout is not None:
                self.deadline = time.monotonic() + self.digit_timeout
                self.digit_timeout = None
            elif self.music:
                self._play(self.music)
        if self.deadline is not None and time.monotonic() >= self.deadline:
            self.deadline = None
            self.lab.events.append(e.DigitTimeout(self.name, _now()))

    def _play(self, file: str) -> None:
        if not file:
            self.hangup(pj.CallOpParam())
            return
        self.player = _Player(self)
        self.player.createPlayer(file, pj.PJMEDIA_FILE_NO_LOOP)
        self.player.startTransmit(self.media)


@dataclass
class LabEngine:
    """`media_dir` holds the prompts and receives the recordings; agents' phones are
    `sip:<number>@<agents_host>`."""

    port: int
    media_dir: Path
    agents_host: str
    endpoint: pj.Endpoint = field(init=False)
    channels: dict[str, _Channel] = field(default_factory=dict)
    events: deque[e.Event] = field(default_factory=deque)
    ended: list[_Channel] = field(default_factory=list)
    # Originated legs waiting for a free call slot (a transfer needs the old leg gone first).
    dialling: deque[tuple[_Channel, str]] = field(default_factory=deque)
    hold_music: str = field(init=False)

    def start(self) -> None:
        self.hold_music = str(hold_music.write(self.media_dir / HOLD_MUSIC))
        self.endpoint = pj.Endpoint()
        self.endpoint.libCreate()
        config = pj.EpConfig()
        config.uaConfig.threadCnt = 0
        config.uaConfig.mainThreadOnly = True
        # The wheel is built with PJSUA_MAX_CALLS = 4 (a larger maxCalls is cut to it): more
        # legs wait in `dialling`, and a fifth caller is answered 486 Busy Here.
        config.logConfig.level = 1
        config.logConfig.consoleLevel = 1
        self.endpoint.libInit(config)
        transport = pj.TransportConfig()
        transport.port = self.port
        transport.boundAddress = "127.0.0.1"
        self.endpoint.transportCreate(pj.PJSIP_TRANSPORT_UDP, transport)
        self.endpoint.libStart()
        self.endpoint.audDevManager().setNullDev()
        self.account = _Hotline(self)
        account = pj.AccountConfig()
        account.idUri = f"sip:hotline@127.0.0.1:{self.port}"
        account.mediaConfig.transportConfig.boundAddress = "127.0.0.1"  # RTP on loopback too
        # A browser answers with several codecs: pjsua's re-INVITE to settle on one would
        # renew the leg's media and drop the bridge and the recording made on it.
        account.mediaConfig.lockCodecEnabled = False
        self.account.create(account)
        self.account.setDefault()  # calls to any number but an agent's reach the hotline

    def stop(self) -> None:
        self.endpoint.hangupAllCalls()
        self.run_for(0.5, lambda event: None)
        # pjsua aborts if a call object outlives the library: channels, their players and
        # their peers refer to each other, so the cycles are collected before it goes.
        self.channels.clear()
        self.ended.clear()
        self.dialling.clear()
        del self.account
        gc.collect()
        self.endpoint.libDestroy()

    def offered(self, call_id: int) -> None:
        name = str(uuid.uuid4())
        channel = _Channel(self, self.account, name, call_id)
        self.channels[name] = channel
        info = channel.getInfo()
        self.events.append(e.CallOffered(name, _user(info.remoteUri), _user(info.localUri), _now()))

    def run_for(self, seconds: float, handle: Callable[[e.Event], None]) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.endpoint.libHandleEvents(10)
            self._forget_ended()
            self._dial()
            for channel in list(self.channels.values()):
                channel.tick()
            while self.events:
                handle(self.events.popleft())

    def _forget_ended(self) -> None:
        """Free the objects of ended calls now: pjsua gives their call ids to the next calls,
        and a call object freed later would detach whichever call then has its id."""
        for channel in self.ended:
            channel.player = None
            channel.recorder = None
            if channel.peer is not None and channel.peer.peer is channel:
                channel.peer.peer = None
            channel.peer = None
            self.channels.pop(channel.name, None)
        self.ended.clear()

    def _dial(self) -> None:
        while self.dialling:
            leg, uri = self.dialling[0]
            try:
                leg.makeCall(uri, pj.CallOpParam(True))
            except pj.Error as error:
                if "PJ_ETOOMANY" in error.reason:
                    return  # every slot in use: tried again on the next turn
                # Like a failed originate in FreeSWITCH: the leg ends before it rang.
                self.events.append(e.HungUp(leg.name, "NORMAL_TEMPORARY_FAILURE", 0, _now()))
                self.channels.pop(leg.name, None)
            self.dialling.popleft()

    def _uri(self, destination: str) -> str:
        """agent/1001 → sip:1001@<agents_host>"""
        return f"sip:{destination.rpartition('/')[2]}@{self.agents_host}"

    def _file(self, prompt: str) -> str:
        return str(self.media_dir / prompt) if prompt else ""

    # The TelephonyEngine commands.

    def answer(self, channel: str) -> None:
        op = pj.CallOpParam()
        op.statusCode = 200
        self.channels[channel].answer(op)

    def play(self, channel: str, prompt: str) -> None:
        if prompt:
            leg = self.channels[channel]
            leg.playlist.append(self._file(prompt))
            if leg.music:
                leg._stop_player()  # an announcement cuts into the hold music, which resumes

    def play_and_hang_up(self, channel: str, prompt: str) -> None:
        self.play(channel, prompt)
        self.channels[channel].playlist.append("")

    def collect_digits(self, channel: str, *, prompt: str, max_digits: int, timeout: int) -> None:
        self.play(channel, prompt)
        self.channels[channel].digit_timeout = timeout

    def park(self, channel: str) -> None:
        leg = self.channels[channel]
        leg.playlist.clear()
        leg.music = self.hold_music

    def hold(self, channel: str) -> None:
        """The two sides stop hearing each other and this one hears the music, on the bridge
        alone: a re-INVITE to hold would renew the leg's media and drop its connections."""
        leg = self.channels[channel]
        if leg.peer is not None and leg.peer.media is not None:
            leg.media.stopTransmit(leg.peer.media)
            leg.peer.media.stopTransmit(leg.media)
        leg.music = self.hold_music

    def originate(self, channel: str, *, destination: str, caller_number: str) -> None:
        leg = _Channel(self, self.account, channel, pj.PJSUA_INVALID_ID)
        self.channels[channel] = leg
        self.dialling.append((leg, self._uri(destination)))

    def bridge(self, channel: str, other: str) -> None:
        a, b = self.channels[channel], self.channels[other]
        for leg in (a, b):
            leg.playlist.clear()
            leg.music = None
            leg._stop_player()
        a.media.startTransmit(b.media)
        b.media.startTransmit(a.media)
        a.peer, b.peer = b, a

    def transfer(self, channel: str, *, destination: str) -> None:
        self.channels[channel].xfer(self._uri(destination), pj.CallOpParam())

    def start_recording(self, channel: str, *, path: str) -> None:
        leg = self.channels[channel]
        target = self.media_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        leg.recorder = pj.AudioMediaRecorder()
        leg.recorder.createRecorder(str(target))
        leg.media.startTransmit(leg.recorder)
        if leg.peer is not None:
            leg.peer.media.startTransmit(leg.recorder)
        leg.recording = (path, time.monotonic())

    def stop_recording(self, channel: str, *, path: str) -> None:
        leg = self.channels[channel]
        if leg.recording is None:
            return
        started = leg.recording[1]
        leg.recorder = None  # closing the recorder finishes the WAV file
        leg.recording = None
        self.events.append(e.RecordingReady(channel, path, int(time.monotonic() - started), _now()))

    def eavesdrop(self, channel: str, *, target: str, mode: e.EavesdropMode) -> None:
        supervisor, agent = self.channels[channel], self.channels[target]
        agent.media.startTransmit(supervisor.media)
        if agent.peer is not None:
            agent.peer.media.startTransmit(supervisor.media)
        if mode != e.EavesdropMode.LISTEN:
            supervisor.media.startTransmit(agent.media)
        if mode == e.EavesdropMode.BARGE and agent.peer is not None:
            supervisor.media.startTransmit(agent.peer.media)

    def hang_up(self, channel: str, *, cause: str = "NORMAL_CLEARING") -> None:
        leg = self.channels.get(channel)
        if leg is None:
            return  # gone already
        # A session that ended meanwhile reports its own hang-up.
        with suppress(pj.Error):
            leg.hangup(pj.CallOpParam())

    def send_dtmf(self, channel: str, digits: str) -> None:
        self.channels[channel].dialDtmf(digits)


class _Hotline(pj.Account):
    def __init__(self, lab: LabEngine) -> None:
        super().__init__()
        self.lab = lab

    def onIncomingCall(self, prm) -> None:
        self.lab.offered(prm.callId)
