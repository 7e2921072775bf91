"""Domain errors that views and commands turn into messages and status codes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .workflows.spec import Text


class DomainError(Exception):
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """Input rejected; `errors` maps each field to what is wrong with it."""

    status = 400

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = dict(errors)


class NotAllowed(DomainError):
    status = 403


class StaleProceeding(DomainError):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            "Someone else changed this proceeding while you were working on it. "
            "Reload the page to see what changed, then try again."
        )


class StepUnavailable(DomainError):
    status = 409

    def __init__(self, reasons: Sequence[str], texts: Sequence[Text] = ()) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)
        self.texts = list(texts)
