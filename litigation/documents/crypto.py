"""Encryption at rest: AES-256-GCM with a random 96-bit nonce per version, and associated data
that binds each ciphertext to its version row (document id, version number, plaintext
SHA-256), so that encrypted bytes moved to another document or version refuse to decrypt.

Keys live outside the database. A key ring holds one key that encrypts and any older keys
that still decrypt; each version records the id of its key, so keys can be rotated
(`litigation documents rotate-key`).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..errors import DomainError, msg

KEY_BYTES = 32
NONCE_BYTES = 12
AAD_FORMAT = "litigation-document:1:{document}:{number}:{sha256}"


class KeyProblem(ValueError):
    """A configured key cannot be used; the message says which and why (never the key)."""


class CannotDecrypt(DomainError):
    """A stored file does not open: its key is not configured, or the bytes were changed or
    belong to another record. The server's administrator must look; the user can do nothing."""

    status = 500

    def __init__(self, reason: str) -> None:
        super().__init__(
            msg(
                "This file cannot be opened: the server does not have the key it was "
                "encrypted with, or the stored copy was changed. Nothing was shown. Tell "
                "the administrator (the server's log names the document)."
            )
        )
        self.reason = reason  # for the log: ids and key ids only


def key_id(key: bytes) -> str:
    """A short public name of a key (not the key): which key a version was encrypted with."""
    return hashlib.sha256(b"litigation documents key id\0" + key).hexdigest()[:16]


def parse_key(text: str, where: str) -> bytes:
    """A key written as base64 of 32 random bytes; KeyProblem naming `where` otherwise."""
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise KeyProblem(f"{where} is not base64") from error
    if len(key) != KEY_BYTES:
        raise KeyProblem(f"{where} holds {len(key)} bytes; a key is {KEY_BYTES} random bytes")
    return key


def new_key_text() -> str:
    """A fresh key as base64, to paste into LITIGATION_DOCUMENTS_KEY or a key file."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def read_key_file(path: Path) -> list[bytes]:
    """The keys in a key file, one base64 key a line (the first encrypts; # comments)."""
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise KeyProblem(
            f"the key file {path} cannot be read: {error.__class__.__name__}"
        ) from error
    texts = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    if not texts:
        raise KeyProblem(f"the key file {path} holds no key")
    return [parse_key(text, f"line {n} of the key file {path}") for n, text in enumerate(texts, 1)]


def make_key_file(path: Path) -> None:
    """Write a new key file (mode 0600) unless one exists; safe when workers race for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "w", encoding="ascii") as file:
            file.write("# litigation: the key of the documents' files. Keep it out of backups.\n")
            file.write(new_key_text() + "\n")
            file.flush()
            os.fsync(file.fileno())
        # link() fails if another worker made the file first: theirs is kept and read.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@dataclass(frozen=True)
class Sealed:
    """An encrypted version: the bytes to store, the nonce (hex) and the key's id."""

    ciphertext: bytes
    nonce: str
    key_id: str


class KeyRing:
    """The key that encrypts new versions, and every key that may decrypt old ones."""

    def __init__(self, keys: Iterable[bytes]) -> None:
        keys = list(keys)
        if not keys:
            raise KeyProblem("no document key")
        self.current = keys[0]
        self.by_id = {key_id(key): key for key in keys}

    @property
    def current_id(self) -> str:
        return key_id(self.current)

    def seal(self, plaintext: bytes, *, document: int, number: int, sha256: str) -> Sealed:
        """Encrypt a version's bytes with the current key and a fresh nonce."""
        nonce = secrets.token_bytes(NONCE_BYTES)
        aad = associated_data(document, number, sha256)
        ciphertext = AESGCM(self.current).encrypt(nonce, plaintext, aad)
        return Sealed(ciphertext, nonce.hex(), self.current_id)

    def open(
        self,
        ciphertext: bytes,
        *,
        nonce: str,
        key: str,
        document: int,
        number: int,
        sha256: str,
    ) -> bytes:
        """Decrypt a version's bytes; CannotDecrypt for an unknown key or changed bytes."""
        secret = self.by_id.get(key)
        if secret is None:
            raise CannotDecrypt(f"key {key} is not configured")
        try:
            plaintext = AESGCM(secret).decrypt(
                bytes.fromhex(nonce), ciphertext, associated_data(document, number, sha256)
            )
        except (InvalidTag, ValueError) as error:
            raise CannotDecrypt("the tag does not match (changed or moved bytes)") from error
        if hashlib.sha256(plaintext).hexdigest() != sha256:
            raise CannotDecrypt("the plaintext does not match its SHA-256")
        return plaintext


def associated_data(document: int, number: int, sha256: str) -> bytes:
    """What a ciphertext is bound to: its document, its version number and its content."""
    return AAD_FORMAT.format(document=document, number=number, sha256=sha256).encode("ascii")
