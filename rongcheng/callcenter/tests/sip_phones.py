"""SIP phones for the real-call tests, on pjsua2 in the test's process: a call that records
what it hears, an agent's phone with auto-answer, and the loudness of a recording."""

import wave
from array import array

import pjsua2 as pj


class Phone(pj.Call):
    """A SIP phone's call: it records what it hears into `heard`, or into `listen(path)`."""

    def __init__(self, account, call_id=pj.PJSUA_INVALID_ID, *, heard=None):
        super().__init__(account, call_id)
        self.heard = heard
        self.recorder = None
        self.media = None

    def onCallMediaState(self, prm):
        info = self.getInfo()  # held: its media list dies with it
        for index, media in enumerate(info.media):
            active = media.status == pj.PJSUA_CALL_MEDIA_ACTIVE
            if media.type == pj.PJMEDIA_TYPE_AUDIO and active:
                self.media = self.getAudioMedia(index)
                if self.heard:
                    self.listen(self.heard)

    def listen(self, path):
        """Records what the phone hears from now on into `path` (the previous file ends)."""
        self.recorder = pj.AudioMediaRecorder()
        self.recorder.createRecorder(str(path))
        self.media.startTransmit(self.recorder)


class AgentPhone(pj.Account):
    """An agent's soft phone with auto-answer."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def onIncomingCall(self, prm):
        call = Phone(self, prm.callId)
        self.calls.append(call)
        op = pj.CallOpParam()
        op.statusCode = 200
        call.answer(op)


def account(account, uri, *, registrar=None):
    """Creates the account; with a registrar, it registers there."""
    config = pj.AccountConfig()
    config.idUri = uri
    config.mediaConfig.transportConfig.boundAddress = "127.0.0.1"
    if registrar:
        config.regConfig.registrarUri = registrar
        config.regConfig.timeoutSec = 300
    account.create(config)
    return account


def peak(path) -> int:
    with wave.open(str(path), "rb") as audio:
        samples = array("h", audio.readframes(audio.getnframes()))
    return max(map(abs, samples), default=0)
