"""Sandbox keys (RSA key pairs, secrets, certificates), generated once per install under
PAYMENTS_SANDBOX_DIR.

Every process of one install reads the same file: the first writer wins with an atomic link,
so concurrent starts never end up with different keys.
"""

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

_loaded: dict[Path, Any] = {}


def _pem_private(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _new_key_pair() -> dict[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {"private": _pem_private(key), "public": public.decode()}


def _load(path: Path, make: Callable[[], Any]) -> Any:
    if path not in _loaded:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as file:
                json.dump(make(), file)
            os.chmod(file.name, 0o600)
            try:
                os.link(file.name, path)
            except FileExistsError:
                pass  # another process was first: use its keys
            finally:
                os.unlink(file.name)
        _loaded[path] = json.loads(path.read_text())
    return _loaded[path]


def sandbox_material(provider: str, make: Callable[[], Any]) -> Any:
    """What `make()` returns (JSON), made once for the sandbox of `provider` and kept."""
    directory = Path(settings.RONGCHENG["PAYMENTS_SANDBOX_DIR"])
    return _load(directory / f"{provider}-keys.json", make)


def key_pairs(provider: str, names: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """{name: {"private": PEM, "public": PEM}} for the sandbox of `provider`."""
    return sandbox_material(provider, lambda: {name: _new_key_pair() for name in names})
