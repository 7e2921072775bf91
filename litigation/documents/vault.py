"""The documents' settings, read once at start-up: where new versions go, the size limit, and
the keys (from LITIGATION_DOCUMENTS_KEY, a key file, or, outside production, a key file
made in instance/ at first use).

No Flask import: `init_app` and `vault_of` take the app as it comes.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import ConfigError
from ..errors import DomainError, msg
from . import storage
from .crypto import KeyProblem, KeyRing, make_key_file, parse_key, read_key_file

EXTENSION = "litigation.documents"
MEGABYTE = 1024 * 1024
GENERATED_KEY_FILE = "documents.key"


class KeysUnavailable(DomainError):
    """The server has no usable document key (a configuration problem, not the user's)."""

    status = 500

    def __init__(self, reason: str) -> None:
        super().__init__(
            msg(
                "The server's key for documents is missing or cannot be read, so no file "
                "can be saved or opened. Nothing was saved. Tell the administrator."
            )
        )
        self.reason = reason


@dataclass
class Vault:
    """Where and how documents are kept; the keys are read at first use."""

    backend: str
    folder: Path
    max_bytes: int
    key_text: str | None = None
    old_key_texts: tuple[str, ...] = ()
    key_file: Path | None = None
    generated_key_file: Path | None = None
    _ring: KeyRing | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def keys(self) -> KeyRing:
        """The key ring; KeysUnavailable when the configured keys cannot be used."""
        if self._ring is None:
            with self._lock:
                try:
                    self._ring = self._ring or self.load_keys(create=True)
                except KeyProblem as error:
                    raise KeysUnavailable(str(error)) from error
        return self._ring

    def load_keys(self, *, create: bool) -> KeyRing:
        """Read the keys from where the settings say (KeyProblem if they cannot be used)."""
        if self.key_text:
            keys = [parse_key(self.key_text, "LITIGATION_DOCUMENTS_KEY")]
            keys += [
                parse_key(text, f"key {n} of LITIGATION_DOCUMENTS_OLD_KEYS")
                for n, text in enumerate(self.old_key_texts, 1)
            ]
            return KeyRing(keys)
        path = self.key_file or self.generated_key_file
        if path is None:
            raise KeyProblem("no document key is configured")
        if create and self.key_file is None and not path.exists():
            make_key_file(path)
        return KeyRing(read_key_file(path))

    def store(self, version: Any, ciphertext: bytes) -> None:
        storage.put(version, ciphertext, backend=self.backend, folder=self.folder)

    def fetch(self, version: Any) -> bytes:
        return storage.get(version, folder=self.folder)

    @property
    def max_megabytes(self) -> int:
        return self.max_bytes // MEGABYTE


def vault_from_settings(config: Mapping[str, Any], instance_path: str) -> Vault:
    """The vault the settings describe; ConfigError for settings that cannot work."""
    backend = str(config.get("DOCUMENTS_STORAGE") or storage.DATABASE)
    if backend not in storage.BACKENDS:
        raise ConfigError(
            f"LITIGATION_DOCUMENTS_STORAGE is {backend!r}: use 'database' or 'folder'"
        )
    limit = config.get("DOCUMENTS_MAX_MB")
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 1024:
        raise ConfigError("LITIGATION_DOCUMENTS_MAX_MB must be a whole number from 1 to 1024")
    production = bool(config.get("PRODUCTION"))
    folder = config.get("DOCUMENTS_DIR")
    if backend == storage.FOLDER and production and not folder:
        raise ConfigError(
            "production with LITIGATION_DOCUMENTS_STORAGE=folder needs "
            "LITIGATION_DOCUMENTS_DIR: the folder every host shares"
        )
    key_file = config.get("DOCUMENTS_KEY_FILE")
    return Vault(
        backend=backend,
        folder=Path(folder) if folder else Path(instance_path) / "documents",
        max_bytes=limit * MEGABYTE,
        key_text=config.get("DOCUMENTS_KEY") or None,
        old_key_texts=_key_list(config.get("DOCUMENTS_OLD_KEYS")),
        key_file=Path(key_file) if key_file else None,
        # Zero setup outside production: a key made in instance/ at the first upload.
        generated_key_file=None if production else Path(instance_path) / GENERATED_KEY_FILE,
    )


def _key_list(value: Any) -> tuple[str, ...]:
    """Older keys as a JSON list or as text separated by commas or spaces."""
    if not value:
        return ()
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return tuple(str(item) for item in value)


def init_app(app: Any) -> None:
    """Read the settings; in production, refuse to start without usable keys."""
    vault = vault_from_settings(app.config, app.instance_path)
    if app.config.get("PRODUCTION"):
        if not (vault.key_text or vault.key_file):
            raise ConfigError(
                "production needs a key for the documents' files: set "
                "LITIGATION_DOCUMENTS_KEY (for example the output of `litigation documents "
                "new-key`) or LITIGATION_DOCUMENTS_KEY_FILE, the same on every host, kept out "
                "of the database and its backups"
            )
        try:
            vault.load_keys(create=False)
        except KeyProblem as error:
            raise ConfigError(f"the documents' key cannot be used: {error}") from error
    app.extensions[EXTENSION] = vault


def vault_of(app: Any) -> Vault:
    """The app's vault (made by init_app)."""
    return app.extensions[EXTENSION]
