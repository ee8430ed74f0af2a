"""The lab's hold music: a short melody on the pentatonic scale, synthesised with Python's
`wave` module (no downloaded audio), 8 kHz 16-bit mono like the IVR prompts. FreeSWITCH has
its own (`FREESWITCH_HOLD_MUSIC`); this one is for the lab engine.
"""

import math
import os
import wave
from array import array
from pathlib import Path

RATE = 8000
# C major pentatonic around A4 (Hz) and the tune: a note (R, a rest) and its beats.
NOTES = {"C": 261.63, "D": 293.66, "E": 329.63, "G": 392.00, "A": 440.00, "c": 523.25}
TUNE = "E1 G1 A2 G1 E1 D2 C1 D1 E1 G1 E2 R1 D1 E1 G1 A1 c2 A1 G1 E2 D1 C1 D2 C2 R2"
BEAT = 0.32  # seconds
VOLUME = 9000  # of 32767: clearly heard, never clipped with the harmonic


def _note(frequency: float, seconds: float) -> array:
    count = int(RATE * seconds)
    samples = array("h")
    for i in range(count):
        t = i / RATE
        # A soft attack and a decay, as a struck bell or a marimba.
        envelope = min(1.0, t / 0.02) * math.exp(-3.0 * t / seconds)
        tone = math.sin(2 * math.pi * frequency * t) + 0.3 * math.sin(4 * math.pi * frequency * t)
        samples.append(int(VOLUME * envelope * tone / 1.3))
    return samples


def samples() -> array:
    music = array("h")
    for note, beats in TUNE.split():
        seconds = int(beats) * BEAT
        if note == "R":
            music.extend([0] * int(RATE * seconds))
        else:
            music.extend(_note(NOTES[note], seconds))
    return music


def write(path: Path) -> Path:
    """Writes the WAV file once (a file of its own first, so a player never reads half of
    it); returns its path."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        with wave.open(str(partial), "wb") as audio:
            audio.setnchannels(1)
            audio.setsampwidth(2)
            audio.setframerate(RATE)
            audio.writeframes(samples().tobytes())
        partial.replace(path)
    return path
