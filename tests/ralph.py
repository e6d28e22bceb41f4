"""A real Ralph LRS (PyPI `ralph-malph`, fs backend) on 127.0.0.1, for send tests.

Credentials are made by `ralph auth`, as an LRS administrator would. The server is
Ralph's own ASGI app under uvicorn with the settings `ralph runserver -b fs` writes
(RALPH_RUNSERVER_BACKEND and the fs backend's folder): `runserver` always starts
uvicorn's reloader, which watches the working folder and forks a child a test could
not kill precisely; here the one process is the LRS, so killing it mid-send is real.

One adjustment, and only one: Ralph 5.1.0's fs backend (its development backend)
writes every POST with operation type `create`, so the second batch that holds new
statements fails with 500 "fs_lrs.jsonl already exists". The launcher makes that
backend append instead, as its database backends index; routing, authentication,
validation, duplicate filtering and 409 conflicts are Ralph's own, unchanged.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

USER, PASSWORD = "manager", "not-on-the-command-line"
BIN = Path(__file__).resolve().parents[1] / ".venv-lrs" / "bin"
"""Ralph's own venv (`make lrs`, from tests/lrs/uv.lock): its pins stay out of ours."""
LAUNCH = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="info")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Ralph:
    home: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "RALPH_APP_DIR": str(self.home / "app"),
            "RALPH_AUTH_FILE": str(self.home / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.home / "data"),
        }

    def make_credentials(self) -> None:
        ralph = BIN / "ralph"
        assert ralph.exists(), "Ralph lives in .venv-lrs (tests/lrs/uv.lock): run make lrs"
        (self.home / "data").mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                str(ralph),
                "auth",
                "-u",
                USER,
                "-p",
                PASSWORD,
                "-s",
                "all",
                "-M",
                "mailto:manager@example.com",
                "-w",
            ],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        log = (self.home / "server.log").open("ab")
        self.process = subprocess.Popen(
            [str(BIN / "python"), "-c", LAUNCH, str(self.port)],
            env=self.env,
            cwd=self.home,
            stdout=log,
            stderr=log,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.home / "server.log").read_text()
            try:
                whoami = f"http://127.0.0.1:{self.port}/whoami"
                if requests.get(whoami, timeout=2).status_code in (200, 401):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.kill()
        raise AssertionError("Ralph did not start in 120 s")

    def repair_history(self) -> bool:
        """Remove Ralph's read-history file if a kill left it damaged; True if it was.

        Ralph rewrites `history.json` in place on every read of its fs backend, so a
        SIGKILL at the wrong moment leaves it empty, and Ralph then answers 500 to
        every POST until an administrator removes it.
        """
        history = self.home / "app" / "history.json"
        try:
            json.loads(history.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return False
        except ValueError:
            history.unlink()
            return True
        return False

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=30)
            self.process = None

    def statements(self, **query: str) -> list[dict[str, Any]]:
        """Every statement stored, read back over the xAPI API (following `more`)."""
        found: list[dict[str, Any]] = []
        url: str | None = self.url + "statements"
        params: dict[str, str] | None = {"limit": "1000", **query}
        while url:
            page = requests.get(
                url,
                params=params,
                auth=(USER, PASSWORD),
                timeout=30,
                headers={"X-Experience-API-Version": "1.0.3"},
            )
            page.raise_for_status()
            body = page.json()
            found += body["statements"]
            more = body.get("more")
            url = f"http://127.0.0.1:{self.port}{more}" if more and body["statements"] else None
            params = None
        return found
