"""``treaty-sim serve`` under load on loopback (docs/serve.md, "Under load"): 2,000 requests,
50 at a time, a mix of run, deadlines and calendar, bounded in time; every one answered
right, and the 99th percentile of latency reported."""

from __future__ import annotations

import http.client
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from serve_helpers import ROOT, serving

REQUESTS = 2_000
AT_ONCE = 50
LIMIT_SECONDS = 180
NO_SUSPENSION = (ROOT / "scenarios" / "gsomia_no_suspension.yaml").read_bytes()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def test_two_thousand_mixed_requests_fifty_at_a_time(capsys: pytest.CaptureFixture[str]) -> None:
    local = threading.local()
    mix = [
        ("POST", "/v1/run", NO_SUSPENSION),
        ("GET", "/v1/deadlines/gsomia?as_of=2019-08-22", None),
        ("GET", "/v1/calendar/gsomia.ics?from=2019&to=2020", None),
    ]
    with serving("--workers", "2", "--timeout", "30") as server:

        def one(number: int) -> tuple[float, str | None]:
            if not hasattr(local, "connection"):
                local.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            method, path, body = mix[number % len(mix)]
            started = time.perf_counter()
            try:
                local.connection.request(method, path, body=body)
                response = local.connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as error:
                local.connection.close()
                del local.connection
                return time.perf_counter() - started, f"{path}: {error!r}"
            elapsed = time.perf_counter() - started
            if response.status != 200:
                return elapsed, f"{path}: {response.status}"
            # Each answer is the right one, not only a 200: the dates of PRODUCT.md, "Counting".
            if path == "/v1/run":
                ended = json.loads(data)["terminated_at"]
                right = ended == "2019-11-23T00:00:00+09:00"
            elif path.startswith("/v1/deadlines"):
                days = [term["last_day_to_notify"] for term in json.loads(data)["terms"]]
                right = "2019-08-24" in days
            else:
                right = b"20190824" in data
            return elapsed, None if right else f"{path}: wrong answer"

        started = time.monotonic()
        with ThreadPoolExecutor(AT_ONCE) as pool:
            results = list(pool.map(one, range(REQUESTS), timeout=LIMIT_SECONDS))
        wall = time.monotonic() - started
        assert server.get("/healthz").json()["jobs_running"] == 0
    errors = [problem for _, problem in results if problem is not None]
    latencies = [elapsed for elapsed, _ in results]
    with capsys.disabled():
        print(
            f"\nserve load: {REQUESTS:,} requests, {AT_ONCE} at a time, {wall:.1f} s, "
            f"{REQUESTS / wall:,.0f} requests/s; latency p50 "
            f"{_percentile(latencies, 0.5) * 1000:.0f} ms, p99 "
            f"{_percentile(latencies, 0.99) * 1000:.0f} ms; {len(errors)} errors"
        )
    assert errors == []
    assert wall < LIMIT_SECONDS
