"""Every page needs a signed-in user; responses carry strict security headers."""

from __future__ import annotations

from flask import Flask, Response, current_app, redirect, request, url_for
from flask_login import current_user

PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.login",
        "auth.login_code",
        "static",
        "feeds.feed",
        "password_reset.open_link",  # the one-time link is the proof of who this is
        "password_reset.form",
    }
)

# Everything is served by the app itself: no script, style, font or image from elsewhere.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def init_app(app: Flask) -> None:
    @app.before_request
    def _require_sign_in():
        if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
            return None
        if request.path.startswith("/api/"):
            return {"error": "not signed in"}, 401
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # same-origin: the site's own pages send a Referer to the site (Flask-WTF's CSRF check
        # over https needs it), and no other site ever learns an address of ours.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if current_app.config["PRODUCTION"]:
            seconds = current_app.config["HSTS_SECONDS"]
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={seconds}; includeSubDomains"
            )
        if request.endpoint != "static":
            # Pages name torture survivors: never keep them in shared caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
