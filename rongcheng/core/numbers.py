"""Public document numbers: the day (Asia/Shanghai) and a random part from `secrets`, so a
number tells nothing about how many documents exist and cannot be guessed."""

import secrets

from django.utils import timezone

RANDOM_DIGITS = 12


def public_number(prefix: str = "") -> str:
    day = timezone.localdate().strftime("%Y%m%d")
    return f"{prefix}{day}{secrets.randbelow(10**RANDOM_DIGITS):0{RANDOM_DIGITS}d}"
