"""A ``treaty-sim serve`` of the tests' own: started on a free loopback port as a user starts
it (through the command), waited for until it answers, and stopped with every process it
started (its own session)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Server:
    url: str
    pid: int

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or 80

    def request(
        self,
        method: str,
        path: str,
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            data = body.encode("utf-8") if isinstance(body, str) else body
            connection.request(method, path, body=data, headers=headers or {})
            response = connection.getresponse()
            return Answer(
                response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
            )
        finally:
            connection.close()

    def get(self, path: str, **options: Any) -> Answer:
        return self.request("GET", path, **options)

    def post(self, path: str, body: bytes | str, **options: Any) -> Answer:
        return self.request("POST", path, body, **options)


@contextmanager
def serving(*options: str) -> Iterator[Server]:
    """A server with ``options`` (``--workers``, ``--timeout``, ``--cors``...), on 127.0.0.1
    and a port the system picks; stopped on leaving, its workers with it."""
    with tempfile.TemporaryDirectory() as folder:
        url_file = Path(folder) / "url"
        log = Path(folder) / "log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "sim",
                    "serve",
                    "--port",
                    "0",
                    "--url-file",
                    str(url_file),
                    *options,
                ],
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            deadline = time.monotonic() + 60
            while not url_file.exists() or not url_file.read_text().strip():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start: " + log.read_text())
                time.sleep(0.05)
            yield Server(url_file.read_text().strip(), process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)


def session_cpu_seconds(session: int) -> float:
    """The processor time used so far by the live processes of a session (the server and its
    workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        # fields[3] is the session id; [11], [12] utime and stime (proc(5), from field 3 on).
        if int(fields[3]) == session:
            total += int(fields[11]) + int(fields[12])
    return total / ticks
