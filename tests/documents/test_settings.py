"""The documents' settings: production refuses to start without a usable key (as without a
secret key), or with a folder store but no folder named; outside production the first upload
makes a private key file in instance/, and nothing is made before."""

from __future__ import annotations

import base64
import stat

import pytest

from litigation.config import ConfigError
from litigation.documents import KeysUnavailable, key_id, vault_from_settings

from ..conftest import DOCUMENTS_KEY, MINIMAL_WORKFLOWS

PRODUCTION = {"PRODUCTION": True, "SECRET_KEY": "a configured production key", "TESTING": False}


def test_production_refuses_to_start_without_a_documents_key(app_for):
    settings = {**PRODUCTION, "DOCUMENTS_KEY": None}
    with pytest.raises(ConfigError, match="production needs a key for the documents' files"):
        app_for(MINIMAL_WORKFLOWS, settings=settings)


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"DOCUMENTS_KEY": "replace-with-a-key"}, "is not base64"),
        ({"DOCUMENTS_KEY": DOCUMENTS_KEY, "DOCUMENTS_OLD_KEYS": ["c2hvcnQ="]}, "holds 5 bytes"),
        ({"DOCUMENTS_KEY": None, "DOCUMENTS_KEY_FILE": "/nonexistent/key"}, "cannot be read"),
        ({"DOCUMENTS_STORAGE": "folder", "DOCUMENTS_DIR": None}, "LITIGATION_DOCUMENTS_DIR"),
        ({"DOCUMENTS_STORAGE": "cloud"}, "use 'database' or 'folder'"),
        ({"DOCUMENTS_MAX_MB": "20"}, "whole number from 1 to 1024"),
    ],
)
def test_production_refuses_settings_that_cannot_work(app_for, settings, problem):
    with pytest.raises(ConfigError, match=problem) as refused:
        app_for(MINIMAL_WORKFLOWS, settings={**PRODUCTION, **settings})
    assert DOCUMENTS_KEY not in str(refused.value)


def test_production_starts_with_a_key_file_holding_a_new_and_an_old_key(app_for, tmp_path):
    new, old = bytes(range(32)), bytes(range(2, 34))
    path = tmp_path / "documents.key"
    path.write_text("\n".join(base64.b64encode(k).decode() for k in (new, old)) + "\n")
    settings = {**PRODUCTION, "DOCUMENTS_KEY": None, "DOCUMENTS_KEY_FILE": str(path)}
    app = app_for(MINIMAL_WORKFLOWS, settings=settings)
    ring = app.extensions["litigation.documents"].keys()
    assert ring.current_id == key_id(new) and set(ring.by_id) == {key_id(new), key_id(old)}


def test_outside_production_the_first_upload_makes_a_private_key_file(tmp_path):
    vault = vault_from_settings({"DOCUMENTS_MAX_MB": 20}, str(tmp_path))
    assert not (tmp_path / "documents.key").exists()  # nothing made at start-up
    ring = vault.keys()
    path = tmp_path / "documents.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = vault_from_settings({"DOCUMENTS_MAX_MB": 20}, str(tmp_path)).keys()
    assert again.current_id == ring.current_id  # the next start reads the same key
    assert vault.folder == tmp_path / "documents" and vault.backend == "database"


def test_a_key_file_that_went_missing_is_a_clear_refusal_not_a_new_key(tmp_path):
    settings = {"DOCUMENTS_MAX_MB": 20, "DOCUMENTS_KEY_FILE": str(tmp_path / "gone.key")}
    with pytest.raises(KeysUnavailable) as refused:
        vault_from_settings(settings, str(tmp_path)).keys()
    assert "cannot be read" in refused.value.reason
    assert not (tmp_path / "gone.key").exists()


def test_older_keys_may_be_given_as_text(tmp_path):
    old = base64.b64encode(bytes(range(3, 35))).decode()
    settings = {"DOCUMENTS_MAX_MB": 5, "DOCUMENTS_KEY": DOCUMENTS_KEY, "DOCUMENTS_OLD_KEYS": old}
    vault = vault_from_settings(settings, str(tmp_path))
    assert len(vault.keys().by_id) == 2 and vault.max_bytes == 5 * 1024 * 1024
