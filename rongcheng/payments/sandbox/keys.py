"""Sandbox RSA key pairs, generated once per install under PAYMENTS_SANDBOX_DIR.

Every process of one install reads the same file: the first writer wins with an atomic link,
so concurrent starts never end up with different keys.
"""

import json
import os
import tempfile
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings


def _new_key_pair() -> dict[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {"private": private.decode(), "public": public.decode()}


@cache
def _load(path: Path, names: tuple[str, ...]) -> dict[str, dict[str, str]]:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pairs = {name: _new_key_pair() for name in names}
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as file:
            json.dump(pairs, file)
        os.chmod(file.name, 0o600)
        try:
            os.link(file.name, path)
        except FileExistsError:
            pass  # another process was first: use its keys
        finally:
            os.unlink(file.name)
    return json.loads(path.read_text())


def key_pairs(provider: str, names: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """{name: {"private": PEM, "public": PEM}} for the sandbox of `provider`."""
    directory = Path(settings.RONGCHENG["PAYMENTS_SANDBOX_DIR"])
    return _load(directory / f"{provider}-keys.json", names)
