"""Reading workflows files from disk, and the route files that workflows.yaml includes.

An included path is relative to the including file and must stay inside that file's folder
tree, so a workflows file can never make the program read an arbitrary file.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from .problems import Problem
from .yaml_reader import Mapping, Reader

MAX_BYTES = 2 * 1024 * 1024
"""The largest workflows or route file read; the shipped ones are a few dozen kB."""
TOO_LARGE = (
    "is larger than 2 MB; a workflows file is far smaller: "
    "check that it is the right file, or split it into route files"
)


class IncludeRefused(ValueError):
    """An include path that is not a relative path inside the including file's folder."""


class FileTooLarge(ValueError):
    """A file past MAX_BYTES: refused before the YAML parser spends time on it."""


def read_bounded(path: str) -> str:
    """The UTF-8 text of `path`, reading no more than MAX_BYTES + 1 bytes of it.

    Raises OSError, UnicodeDecodeError or FileTooLarge. A bounded read also stops a device
    or a pipe given as the path from being read for ever.
    """
    with open(path, "rb") as stream:
        data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FileTooLarge(TOO_LARGE)
    return data.decode("utf-8")


def include_path(including: str, value: object) -> str:
    """The path of `value` next to the file `including`; IncludeRefused if it may not be read."""
    name = Path(including).name
    if not isinstance(value, str) or not value.strip():
        raise IncludeRefused(f"give a file path relative to {name}, e.g. routes/un_hrc.yaml")
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute():
        raise IncludeRefused(f"{value!r} is an absolute path; give it relative to {name}")
    folder = Path(including).parent
    target = folder / value
    # Resolving also catches a symbolic link inside the folder that points out of it.
    if not target.resolve().is_relative_to(folder.resolve()):
        raise IncludeRefused(f"{value!r} is outside the folder of {name}; keep it in that folder")
    return str(target)


def decode_problem(path: str, error: UnicodeDecodeError) -> Problem:
    """Where a file stops being UTF-8 text."""
    line = error.object[: error.start].count(b"\n") + 1
    byte = error.object[error.start : error.start + 1].hex()
    return Problem(path, line, f"the file is not UTF-8 text (byte 0x{byte})")


def read_text(path: str) -> str | Problem:
    """The text of a workflows file, or the problem that stops it being read."""
    try:
        return read_bounded(path)
    except OSError as error:
        return Problem(path, 0, f"cannot read the file: {error.strerror}")
    except UnicodeDecodeError as error:
        return decode_problem(path, error)
    except FileTooLarge:
        return Problem(path, 0, f"the file {TOO_LARGE}")


def read_included(reader: Reader, data: Mapping, where: str) -> tuple[Reader, Mapping] | None:
    """The reader and data of the file `data['include']` names, or None after a problem.

    Problems about the include itself point at the including line; problems inside the
    included file point at that file and its own lines.
    """
    line = reader.line_of(data, "include")
    try:
        path = include_path(reader.path, data["include"])
    except IncludeRefused as error:
        reader.problem(line, f"{where}.include: {error}")
        return None
    try:
        text = read_bounded(path)
    except OSError as error:
        reader.problem(line, f"{where}.include: cannot read {data['include']!r}: {error.strerror}")
        return None
    except UnicodeDecodeError as error:
        reader.problems.append(decode_problem(path, error))
        return None
    except FileTooLarge:
        reader.problem(line, f"{where}.include: {data['include']!r} {TOO_LARGE}")
        return None
    included = reader.in_file(path)
    known = len(reader.problems)
    content = included.parse(text)
    if content is None:
        if len(reader.problems) == known:  # not a YAML error: the file holds nothing
            included.problem(1, f"{where}: the included file is empty")
        return None
    return included, included.mapping(content, where, 1)
