"""Pieces every adapter (and the sandboxes playing the providers) share: keys from settings,
amounts in fen, RSA-SHA256 signatures, form-encoded notifications and Beijing times."""

import base64
import binascii
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qsl

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from rongcheng.core.money import FEN
from rongcheng.payments.gateways.base import NotificationRefused


def key_text(value: str, path: str) -> str:
    """A key or certificate given in a variable, or the file another variable names."""
    return Path(path).read_text() if path else value


def require(provider: str, values: Mapping[str, str]) -> None:
    """Refuse to start paying with `provider` while any of its variables is empty."""
    missing = sorted(name for name, value in values.items() if not value)
    if missing:
        raise ImproperlyConfigured(
            f"{provider} needs {', '.join(missing)} (or PAYMENTS_SANDBOX=true)"
        )


def to_fen(amount: Decimal) -> int:
    return int(amount / FEN)


def from_fen(fen: int) -> Decimal:
    return Decimal(fen) * FEN


def rsa_sha256_sign(private_key_pem: str, message: str) -> str:
    """SHA256withRSA (PKCS#1 v1.5), base64: how Alipay, WeChat Pay and UnionPay sign."""
    key = serialization.load_pem_private_key(private_key_pem.encode(), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return base64.b64encode(
        key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    ).decode()


def rsa_sha256_verify(public_key: rsa.RSAPublicKey, message: str, signature: str) -> bool:
    try:
        public_key.verify(
            base64.b64decode(signature, validate=True),
            message.encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def public_key_of(pem: str) -> rsa.RSAPublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    return key


def parse_form(body: bytes) -> dict[str, str]:
    """A form-encoded notification; a parameter given twice makes it malformed."""
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        raise NotificationRefused("malformed") from None
    params = dict(pairs)
    if len(params) != len(pairs):
        raise NotificationRefused("malformed")
    return params


def sorted_pairs(params: Mapping[str, str], *, exclude: tuple[str, ...]) -> str:
    """`k=v&…` sorted by key: the string Alipay and UnionPay sign."""
    return "&".join(f"{key}={params[key]}" for key in sorted(params) if key not in exclude)


def beijing_time(value: str | None, time_format: str) -> datetime | None:
    if not value:
        return None
    try:
        return timezone.make_aware(datetime.strptime(value, time_format))
    except ValueError:
        return None
