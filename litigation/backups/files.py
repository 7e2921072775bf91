"""Where backups and exports are written: readable by their owner only, never half-written,
and never over an existing file unless asked."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

PRIVATE = 0o600


class BackupError(Exception):
    """A backup, export or import that cannot be done; the message says why and what to do."""


def refuse_existing(path: Path, force: bool) -> None:
    """Refuse to replace `path` unless `force`: an old backup may be the only good one."""
    if path.exists() and not force:
        raise BackupError(f"{path} exists; choose another name or pass --force to replace it")
    if path.is_dir():
        raise BackupError(f"{path} is a directory; name the file to write")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a directory")


@contextmanager
def private_file(path: Path, force: bool) -> Iterator[Path]:
    """A temporary file (mode 0600) next to `path`, moved onto it only if the block succeeds.

    The file holds survivor data, so it is private from its first byte (mkstemp makes it 0600,
    whatever the umask); a failed backup leaves no partial file behind to be mistaken for one.
    """
    refuse_existing(path, force)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        temporary.chmod(PRIVATE)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_private(path: Path, force: bool, write: Callable[[Path], None]) -> None:
    """Call `write(temporary)` and publish the result at `path` with mode 0600."""
    with private_file(path, force) as temporary:
        write(temporary)
