"""Documents and evidence on a case: files checked by content, encrypted at rest with keys
kept outside the database, stored in the database or a shared folder, kept in versions.

No Flask here: the web layer and the command line pass the vault (`vault_of(app)`).
"""

from .crypto import CannotDecrypt, KeyProblem, KeyRing, key_id, new_key_text
from .filetypes import ACCEPTED_NAMES, TYPES, FileType, UnknownType, detect, download_name
from .operations import (
    StaleDocument,
    Upload,
    case_documents,
    check_upload,
    document_problems,
    open_version,
    remove_document,
    replace_document,
    upload_document,
)
from .storage import StoredFileMissing
from .vault import KeysUnavailable, Vault, init_app, vault_from_settings, vault_of

__all__ = [
    "ACCEPTED_NAMES",
    "TYPES",
    "CannotDecrypt",
    "FileType",
    "KeyProblem",
    "KeyRing",
    "KeysUnavailable",
    "StaleDocument",
    "StoredFileMissing",
    "UnknownType",
    "Upload",
    "Vault",
    "case_documents",
    "check_upload",
    "detect",
    "document_problems",
    "download_name",
    "init_app",
    "key_id",
    "new_key_text",
    "open_version",
    "remove_document",
    "replace_document",
    "upload_document",
    "vault_from_settings",
    "vault_of",
]
