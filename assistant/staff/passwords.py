"""The staff password: stored only as a salted scrypt hash, compared in constant time.

Where the hash lives (the first found wins): the environment variable
`ASSISTANT_STAFF_PASSWORD_HASH`, else `staff_password_hash` in `.streamlit/secrets.toml`.
No hash, no staff page. `python -m assistant set-staff-password` writes or prints one.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from pathlib import Path
from typing import Mapping

from assistant.errors import ConfigError

ENV_VAR = "ASSISTANT_STAFF_PASSWORD_HASH"
SECRET_KEY = "staff_password_hash"
MIN_LENGTH = 8
# scrypt cost: ~50 ms and 16 MB per check on a laptop; guessing stays slow even offline.
_N, _R, _P = 2 ** 14, 8, 1


def _encode(password: str) -> bytes:
    # NFC first: "é" typed as one code point or as e + accent is the same password.
    return unicodedata.normalize("NFC", password).encode("utf-8")


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(_encode(password), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${_N}${_R}${_P}${b64(salt)}${b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time on the derived bytes, so timing says nothing about how close a guess was."""
    try:
        scheme, n, r, p, salt, key = stored.strip().split("$")
        if scheme != "scrypt":
            raise ValueError(scheme)
        salt, key = base64.b64decode(salt, validate=True), base64.b64decode(key, validate=True)
        derived = hashlib.scrypt(_encode(password), salt=salt, n=int(n), r=int(r), p=int(p),
                                 dklen=len(key), maxmem=256 * 1024 * 1024)
    except (ValueError, TypeError) as exc:
        raise ConfigError("the staff password hash is damaged; set it again with "
                          "`python -m assistant set-staff-password`") from exc
    return hmac.compare_digest(derived, key)


def configured_hash(secrets_map: Mapping | None = None, env: Mapping | None = None) -> str | None:
    env = os.environ if env is None else env
    value = env.get(ENV_VAR) or (secrets_map or {}).get(SECRET_KEY)
    return str(value).strip() or None if value else None


def read_secrets(path: Path) -> dict:
    import tomllib

    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc


def save_hash(path: Path, stored: str) -> None:
    """Set `staff_password_hash` in a secrets.toml, keeping its other lines; readable by the owner only."""
    from assistant.store.files import write_atomic

    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    line = f'{SECRET_KEY} = "{stored}"'
    pattern = re.compile(rf"^{SECRET_KEY}\s*=.*$", re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: line, text)
    else:
        # Top-level keys must come before any [table] header.
        text = f"{line}\n{text}" if text else f"{line}\n"
    write_atomic(path, text)
    os.chmod(path, 0o600)


def fingerprint(stored: str) -> str:
    """Short id of the configured hash: a session signed in under another password is stale."""
    return hashlib.sha256(stored.encode()).hexdigest()[:16]
