"""Talking to a learning record store over the xAPI statements API (basic auth).

Only what `send` and `verify --against` need: post a batch, page through statements.
Transient failures (connection refused or reset, timeouts, 429, 5xx) are retried with
exponential back-off; anything else is one line for the user. Credentials come from
the environment or the settings file, never from the command line, where every other
user of the machine could read them in the process list.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

XAPI_VERSION = "1.0.3"
TIMEOUT_S = 30.0
TRANSIENT = {429, 500, 502, 503, 504}
RETRIED = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
"""Failures of the network, which a later attempt may not meet; any other request error
(a URL requests cannot use, a bad header) would fail the same way every time."""


class LRSError(Exception):
    """The LRS could not be reached or refused what was sent: one line for the user."""


@dataclass(frozen=True)
class LRS:
    url: str
    """The xAPI endpoint, e.g. `https://lrs.example.com/xAPI/` (statements live below)."""
    user: str | None = None
    password: str | None = None
    retries: int = 4
    backoff_s: float = 0.5
    """Waits 0.5, 1, 2, 4 … seconds between attempts."""

    @property
    def statements_url(self) -> str:
        return urljoin(self.url.rstrip("/") + "/", "statements")

    def _request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        headers = {"X-Experience-API-Version": XAPI_VERSION}
        # As UTF-8 bytes (RFC 7617): requests encodes str credentials as Latin-1 and
        # raises on a password like "pass€"; surrogateescape keeps an environment
        # value's undecodable bytes as the bytes they were.
        auth = None
        if self.user:
            auth = requests.auth.HTTPBasicAuth(_utf8(self.user), _utf8(self.password or ""))
        attempt = 0
        while True:
            try:
                response = requests.request(
                    method, url, headers=headers, auth=auth, timeout=TIMEOUT_S, **kwargs
                )
            except RETRIED as exc:
                problem = f"cannot reach the LRS at {self.url}: {_short(exc)}"
            except requests.RequestException as exc:
                raise LRSError(f"cannot reach the LRS at {self.url}: {_short(exc)}") from None
            else:
                if response.status_code not in TRANSIENT:
                    return response
                problem = f"the LRS at {self.url} answered {response.status_code}"
            attempt += 1
            if attempt > self.retries:
                raise LRSError(f"{problem} (after {self.retries} retries)")
            time.sleep(self.backoff_s * 2 ** (attempt - 1))

    def post(self, statements: list[dict[str, Any]]) -> None:
        """Store a batch; statements the LRS already holds unchanged are accepted again."""
        response = self._request("POST", self.statements_url, json=statements)
        if response.status_code in (200, 204):
            return
        raise LRSError(self._refusal(response))

    def statements(self, **query: str) -> Iterator[dict[str, Any]]:
        """Every statement matching the query, following the LRS's `more` links."""
        url: str | None = self.statements_url
        params: dict[str, str] | None = {"limit": "500", **query}
        while url:
            response = self._request("GET", url, params=params)
            if response.status_code != 200:
                raise LRSError(self._refusal(response))
            try:
                page = response.json()
                found = page["statements"]
            except (ValueError, KeyError, TypeError):
                raise LRSError(f"the LRS at {self.url} answered something not xAPI") from None
            yield from (s for s in found if isinstance(s, dict))
            more = page.get("more") if isinstance(page, dict) else None
            url = urljoin(self.url, more) if isinstance(more, str) and more and found else None
            params = None

    def _refusal(self, response: requests.Response) -> str:
        if response.status_code in (401, 403):
            return (
                f"the LRS at {self.url} refused the credentials ({response.status_code}); "
                "set SIMULATOR_LRS_USER and SIMULATOR_LRS_PASSWORD"
            )
        detail = ""
        try:
            body = response.json()
            if isinstance(body, dict):
                detail = f": {str(body.get('detail', ''))[:200]}"
        except ValueError:
            pass
        return f"the LRS at {self.url} refused the statements ({response.status_code}){detail}"


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _short(exc: Exception) -> str:
    if isinstance(exc, requests.ConnectionError):
        return "connection refused or lost"
    if isinstance(exc, requests.Timeout):
        return "timed out"
    return exc.__class__.__name__


def configured(url: str | None, option: str = "--lrs") -> LRS:
    """The LRS from `option` (`--lrs`, `--against`) or settings, credentials from the
    environment or settings."""
    from simulator.settings import load_settings

    settings = load_settings()
    given = f"{option} {url!r}" if url else f"lrs_url {settings.lrs_url!r} in the settings file"
    url = url or settings.lrs_url
    if not url:
        raise LRSError(f"no LRS given: use {option} URL or set lrs_url in the settings file")
    problem = url_problem(url)
    if problem is not None:
        raise LRSError(f"{given}: {problem}")
    user = os.environ.get("SIMULATOR_LRS_USER") or settings.lrs_user
    password = os.environ.get("SIMULATOR_LRS_PASSWORD") or settings.lrs_password
    return LRS(url, user, password)


def url_problem(url: str) -> str | None:
    """Why `url` cannot be an LRS endpoint, or None.

    Checked before anything is read or sent: a malformed URL otherwise crashed inside
    requests (`http://[::1`) or was retried with back-off as if the LRS were down
    (`http://`, a port past 65535), ending in "cannot reach" after seconds of waiting.
    """
    if not url.startswith(("http://", "https://")):
        return "expected an http:// or https:// URL"
    if any(char.isspace() or not char.isprintable() for char in url):
        return "a URL cannot hold spaces or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not 0-65535
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if not parts.hostname:
        return "the URL names no host"
    return None
