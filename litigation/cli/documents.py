"""`litigation documents`: a new key, key rotation, and a check of every stored file.

`new-key` needs no app (production refuses to start without a key: this makes one). The
others run in the app. `rotate-key` commits each version as it is re-encrypted, so that a
store of many large files is never held in one transaction, and an interrupted rotation
simply resumes where it stopped.
"""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import db
from ..documents import KeysUnavailable, new_key_text, vault_of
from ..documents.upkeep import check, record_rotation, rekey, stale_versions


@click.group("documents")
def documents_group() -> None:
    """Documents on cases: keys and stored files."""


@documents_group.command("new-key")
def new_key_command() -> None:
    """Print a new key for LITIGATION_DOCUMENTS_KEY or a key file (keep it out of backups)."""
    click.echo(new_key_text())


def _vault():
    vault = vault_of(current_app)
    try:
        vault.keys()
    except KeysUnavailable as error:
        click.echo(f"error: the documents' key cannot be used: {error.reason}", err=True)
        sys.exit(1)
    return vault


@documents_group.command("rotate-key")
@with_appcontext
def rotate_key_command() -> None:
    """Encrypt every version kept under an older key again, with the current (first) key."""
    vault = _vault()
    pending = stale_versions(vault)
    for done, version_id in enumerate(pending, 1):
        rekey(version_id, vault)
        db.session.commit()
        db.session.expunge_all()
        if done % 100 == 0:
            click.echo(f"{done} of {len(pending)} versions encrypted again")
    record_rotation(len(pending), vault)
    db.session.commit()
    click.echo(
        f"{len(pending)} version(s) encrypted again with key {vault.keys().current_id}. "
        "The older keys are no longer needed once every backup made before now has expired."
    )


@documents_group.command("check")
@with_appcontext
def check_command() -> None:
    """Open every stored version with its key and compare its SHA-256; list stray files."""
    vault = _vault()
    problems = [str(problem) for problem in check(vault)]
    db.session.rollback()
    for problem in problems:
        click.echo(problem)
    if problems:
        click.echo(f"{len(problems)} problem(s) with the stored documents.", err=True)
        sys.exit(1)
    click.echo("Every stored version opens with its key and matches its SHA-256.")


COMMANDS = (documents_group,)
