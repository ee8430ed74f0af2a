"""IVR prompts spoken by espeak-ng's Mandarin voice, stored as the 8 kHz WAV files the
telephone network carries. An operator may upload a studio recording in their place."""

import shutil
import subprocess
import sys
import tempfile
import wave
from array import array
from io import BytesIO
from itertools import accumulate
from pathlib import Path

from django.core.files.base import ContentFile

from rongcheng.callcenter.models import IvrPrompt

VOICE = "cmn"
PHONE_RATE = 8000


def synthesis_available() -> bool:
    return shutil.which("espeak-ng") is not None


def _decimate(samples: array, source_rate: int, rate: int) -> array:
    """Each output sample is the mean of the input samples it spans: a box filter that keeps
    most of what lies above the new Nyquist frequency from folding back as noise."""
    step = source_rate / rate
    sums = list(accumulate(samples, initial=0))
    out = array("h")
    for i in range(int(len(samples) / step)):
        start = int(i * step)
        end = max(start + 1, int((i + 1) * step))
        out.append(round((sums[end] - sums[start]) / (end - start)))
    return out


def phone_wav(spoken: bytes) -> bytes:
    """espeak-ng's 16-bit mono WAV (22,050 Hz) as a 16-bit mono WAV at 8 kHz."""
    with wave.open(BytesIO(spoken), "rb") as source:
        rate = source.getframerate()
        samples = array("h", source.readframes(source.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()  # WAV samples are little-endian
    out = _decimate(samples, rate, PHONE_RATE) if rate != PHONE_RATE else samples
    if sys.byteorder == "big":
        out.byteswap()
    buffer = BytesIO()
    with wave.open(buffer, "wb") as phone:
        phone.setnchannels(1)
        phone.setsampwidth(2)
        phone.setframerate(PHONE_RATE)
        phone.writeframes(out.tobytes())
    return buffer.getvalue()


def synthesise(prompt: IvrPrompt) -> None:
    """Speak the prompt's text into its audio file, replacing the file it had."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise FileNotFoundError("espeak-ng is not installed")
    with tempfile.TemporaryDirectory() as work:
        spoken = Path(work) / "spoken.wav"
        # The program is found by its full path and the text goes in on stdin, so no text is
        # ever read as an option.
        subprocess.run(  # noqa: S603
            [espeak, "-v", VOICE, "-w", str(spoken)],
            input=prompt.text.encode(),
            check=True,
            capture_output=True,
            timeout=60,
        )
        audio = phone_wav(spoken.read_bytes())
    if prompt.audio:
        prompt.audio.delete(save=False)
    prompt.audio.save(f"{prompt.code}.wav", ContentFile(audio), save=False)
    prompt.save(update_fields=["audio", "updated_at"])
