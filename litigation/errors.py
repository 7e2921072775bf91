"""Domain errors that views and commands turn into messages and status codes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .workflows.spec import Text


class Msg(str):
    """An English message that keeps its template and values, so the web can translate it.

    The domain stays free of Flask-Babel; `pybabel extract -k msg` collects the templates.
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Msg:
        # The English text: a label in both languages gives its English, a date its ISO form.
        plain = {name: v.en if isinstance(v, Text) else v for name, v in params.items()}
        text = super().__new__(cls, template % plain if params else template)
        text.template, text.params = template, params
        return text


msg = Msg


class DomainError(Exception):
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """Input rejected; `errors` maps each field to what is wrong with it."""

    status = 400

    def __init__(self, errors: Mapping[str, str | Text]) -> None:
        super().__init__("; ".join(f"{field}: {_plain(text)}" for field, text in errors.items()))
        self.errors = dict(errors)

    def plain_errors(self) -> dict[str, str]:
        """The messages as English text, for JSON answers and logs."""
        return {field: _plain(text) for field, text in self.errors.items()}


def _plain(message: str | Text) -> str:
    return message.en if isinstance(message, Text) else str(message)


class NotAllowed(DomainError):
    status = 403


class StaleProceeding(DomainError):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            msg(
                "Someone else changed this proceeding while you were working on it. "
                "Reload the page to see what changed, then try again."
            )
        )


class Conflict(DomainError):
    """Two people changed the same record at once; the later change was not saved."""

    status = 409

    def __init__(self) -> None:
        super().__init__(
            msg(
                "Someone else changed this record while you were working on it. "
                "Nothing was saved: reload the page and try again."
            )
        )


class StaleCase(DomainError):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            msg(
                "Someone else saved this case while you were editing it. Your changes are "
                "below, not saved: compare them with the case page and save again."
            )
        )


class StaleSettings(DomainError):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            msg(
                "Your e-mail settings were saved from another window while you were changing "
                "them here. What you chose is below, not saved: check it and save again."
            )
        )


class StepUnavailable(DomainError):
    status = 409

    def __init__(self, reasons: Sequence[str], texts: Sequence[Text] = ()) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)
        self.texts = list(texts)
