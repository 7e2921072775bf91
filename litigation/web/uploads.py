"""Receiving files: larger bodies on the upload pages only, file parts kept in memory (a
survivor's evidence never lands in a plaintext temporary file) and cut off at the size limit,
and a too-large body answered with a page that says what to do.

The request body may be up to twice the file limit (plus room for the form): a file a little
too large is read, counted and refused beside the file field, keeping what was typed; only a
body beyond that is refused unread (413), with the limit and a way back to the form.
"""

from __future__ import annotations

import io

from flask import Flask, current_app, render_template, request, url_for
from flask.wrappers import Request
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from ..documents import Upload, vault_of

# The pages whose forms carry a file, and the form each sends its user back to.
UPLOAD_PAGES = {"documents.new": "documents.new", "documents.replace": "documents.replace"}
FORM_ROOM = 1024 * 1024  # the title, description and the multipart framing


class CappedBuffer(io.BytesIO):
    """A file part in memory: keeps its first `keep` bytes and counts the rest."""

    def __init__(self, keep: int) -> None:
        super().__init__()
        self.keep = keep
        self.seen = 0

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.seen += len(data)
        room = self.keep - self.getbuffer().nbytes
        if room > 0:
            super().write(bytes(data[:room]))
        return len(data)


def body_limit(app: Flask) -> int:
    """The largest request body an upload page reads."""
    return 2 * vault_of(app).max_bytes + FORM_ROOM


class UploadRequest(Request):
    """Flask's request, with the upload pages' body limit and in-memory file parts."""

    @property
    def max_content_length(self) -> int | None:
        if self.endpoint in UPLOAD_PAGES and current_app:
            return body_limit(current_app._get_current_object())
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        Request.max_content_length.fset(self, value)  # type: ignore[attr-defined]

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> CappedBuffer:
        # One byte past the limit is enough to know the file is too large.
        return CappedBuffer(vault_of(current_app).max_bytes + 1)


def upload_of(storage: FileStorage | None) -> Upload | None:
    """The file a form field received, as the documents area takes it."""
    if not isinstance(storage, FileStorage):
        return None
    stream = storage.stream
    if isinstance(stream, CappedBuffer):
        return Upload(storage.filename, stream.getvalue(), stream.seen)
    data = storage.read()
    return Upload(storage.filename, data, len(data))


def init_app(app: Flask) -> None:
    """Use the upload-aware request; answer a too-large upload with its own page."""
    app.request_class = UploadRequest

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(error: RequestEntityTooLarge):
        message = _("What you sent is too large.")
        if request.path.startswith("/api/"):
            return {"error": message}, 413
        form = UPLOAD_PAGES.get(request.endpoint or "")
        if form is None:
            return render_template("error.html", code=413, message=message), 413
        back = url_for(form, **(request.view_args or {}))
        most = vault_of(current_app).max_megabytes
        return render_template("documents/too_large.html", back=back, most=most), 413
