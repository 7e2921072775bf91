"""Encryption at rest: AES-256-GCM, a fresh nonce per version, ciphertext bound to its
document, version number and content; a wrong key, changed bytes or bytes moved to another
record refuse to decrypt. Keys: base64 of 32 bytes, a key file made once (mode 0600)."""

from __future__ import annotations

import base64
import hashlib
import stat
import threading

import pytest

from litigation.documents import CannotDecrypt, KeyProblem, KeyRing, key_id, new_key_text
from litigation.documents.crypto import make_key_file, parse_key, read_key_file

from .samples import TXT_BYTES

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))
SHA = hashlib.sha256(TXT_BYTES).hexdigest()


def _sealed(ring: KeyRing, document: int = 7, number: int = 1):
    return ring.seal(TXT_BYTES, document=document, number=number, sha256=SHA)


def _open(ring: KeyRing, sealed, document: int = 7, number: int = 1, sha256: str = SHA):
    return ring.open(
        sealed.ciphertext,
        nonce=sealed.nonce,
        key=sealed.key_id,
        document=document,
        number=number,
        sha256=sha256,
    )


def test_a_version_round_trips_and_its_ciphertext_is_not_the_file():
    ring = KeyRing([KEY])
    sealed = _sealed(ring)
    assert sealed.ciphertext != TXT_BYTES and TXT_BYTES[:12] not in sealed.ciphertext
    assert len(sealed.ciphertext) == len(TXT_BYTES) + 16  # the GCM tag
    assert _open(ring, sealed) == TXT_BYTES


def test_every_version_gets_its_own_nonce():
    ring = KeyRing([KEY])
    first, second = _sealed(ring), _sealed(ring)
    assert first.nonce != second.nonce and first.ciphertext != second.ciphertext
    assert len(bytes.fromhex(first.nonce)) == 12


def test_a_wrong_key_refuses_to_decrypt():
    sealed = _sealed(KeyRing([KEY]))
    with pytest.raises(CannotDecrypt) as refused:
        _open(KeyRing([OTHER]), sealed)
    assert "not configured" in refused.value.reason
    assert "cannot be opened" in refused.value.message
    # Even a ring that claims the old key's id with another key is refused by the tag.
    impostor = KeyRing([OTHER])
    impostor.by_id[sealed.key_id] = OTHER
    with pytest.raises(CannotDecrypt, match="cannot be opened"):
        _open(impostor, sealed)


@pytest.mark.parametrize(
    "moved",
    [
        {"document": 8},  # the blob of document 7 put under document 8
        {"number": 2},  # version 1's blob served as version 2
        {"sha256": hashlib.sha256(b"another file").hexdigest()},
    ],
)
def test_ciphertext_moved_to_another_record_refuses_to_decrypt(moved):
    ring = KeyRing([KEY])
    with pytest.raises(CannotDecrypt):
        _open(ring, _sealed(ring), **moved)


def test_a_changed_byte_refuses_to_decrypt():
    ring = KeyRing([KEY])
    sealed = _sealed(ring)
    changed = bytearray(sealed.ciphertext)
    changed[3] ^= 1
    with pytest.raises(CannotDecrypt):
        _open(ring, type(sealed)(bytes(changed), sealed.nonce, sealed.key_id))


def test_an_older_key_still_decrypts_while_the_first_encrypts():
    old_ring = KeyRing([OTHER])
    sealed = _sealed(old_ring)
    rotated = KeyRing([KEY, OTHER])
    assert rotated.current_id == key_id(KEY) != sealed.key_id
    assert _open(rotated, sealed) == TXT_BYTES
    assert _sealed(rotated).key_id == key_id(KEY)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("not base64 at all!", "is not base64"),
        (base64.b64encode(b"short").decode(), "holds 5 bytes"),
        ("", "holds 0 bytes"),
    ],
)
def test_a_key_that_is_not_32_bytes_of_base64_is_refused(text, problem):
    with pytest.raises(KeyProblem, match=problem):
        parse_key(text, "LITIGATION_DOCUMENTS_KEY")


def test_a_new_key_is_32_random_bytes_and_its_id_is_not_the_key():
    text = new_key_text()
    key = parse_key(text, "x")
    assert len(key) == 32 and new_key_text() != text
    assert len(key_id(key)) == 16 and key_id(key) not in (text, key.hex())


def test_a_key_file_is_made_once_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "instance" / "documents.key"
    threads = [threading.Thread(target=make_key_file, args=(path,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    [key] = read_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    make_key_file(path)
    assert read_key_file(path) == [key]
    assert [p.name for p in path.parent.iterdir()] == ["documents.key"]


def test_a_key_file_lists_the_current_key_first_then_older_ones(tmp_path):
    path = tmp_path / "keys"
    path.write_text(
        f"# rotated 2026-12\n{base64.b64encode(KEY).decode()}\n\n"
        f"{base64.b64encode(OTHER).decode()}\n"
    )
    assert read_key_file(path) == [KEY, OTHER]
    path.write_text("# nothing\n")
    with pytest.raises(KeyProblem, match="holds no key"):
        read_key_file(path)
    with pytest.raises(KeyProblem, match="cannot be read"):
        read_key_file(tmp_path / "missing")
