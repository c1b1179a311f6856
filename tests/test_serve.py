"""``treaty-sim serve`` (PRODUCT.md 0.3, "serve"; docs/serve.md), started as a user starts it
on a free loopback port: every endpoint answers what the command line prints for the same
input; mistakes are problem details with the command line's located messages; the limits hold
(1 MiB, the loader's, the time limit, no CORS unless asked) and the server keeps serving."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from cli_helpers import cli
from serve_helpers import ROOT, Server, serving, session_cpu_seconds
from test_errors import CASES, GOOD_TREATY, LINE

HISTORY = ROOT / "scenarios" / "gsomia_history.yaml"
NO_SUSPENSION = ROOT / "scenarios" / "gsomia_no_suspension.yaml"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serving("--workers", "2", "--timeout", "20") as running:
        yield running


def cli_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> object:
    code, out, err = cli([*args, "--format", "json"], capsys)
    assert code in (0, 1), err
    return json.loads(out)


def notice(day: str) -> str:
    return f"name: what-if\ntreaty: gsomia\nactions:\n  - {{at: {day}, by: KR, do: notify}}\n"


def test_healthz(server: Server) -> None:
    answer = server.get("/healthz")
    assert answer.status == 200
    assert answer.json() == {"status": "ok", "workers": 2, "jobs_running": 0}


def test_run_answers_the_clis_json(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    answer = server.post("/v1/run", HISTORY.read_bytes())
    assert answer.status == 200
    assert answer.json() == cli_json(["run", str(HISTORY)], capsys)
    every = server.post("/v1/run?interpretation=all", HISTORY.read_bytes())
    assert every.json() == cli_json(["run", str(HISTORY), "--interpretation", "all"], capsys)


def test_a_json_body_runs_as_its_yaml(server: Server) -> None:
    data = yaml.safe_load(NO_SUSPENSION.read_text(encoding="utf-8"))
    body = json.dumps(data, default=str)
    as_json = server.post("/v1/run", body, headers={"Content-Type": "application/json"})
    assert as_json.json() == server.post("/v1/run", NO_SUSPENSION.read_bytes()).json()


@pytest.mark.parametrize(
    ("day", "ends"),
    # PRODUCT.md, "Counting": a notice on 2019-08-24 stops the renewal at 2019-11-23T00:00+09:00;
    # one on 2019-08-25 is late and stops the next (late_notice: next_term; decisions.md, 1).
    [("2019-08-24", "2019-11-23T00:00:00+09:00"), ("2019-08-25", "2020-11-23T00:00:00+09:00")],
)
def test_gsomia_either_side_of_the_2019_deadline(server: Server, day: str, ends: str) -> None:
    assert server.post("/v1/run", notice(day)).json()["terminated_at"] == ends


def test_check_gives_the_verdict(server: Server) -> None:
    passing = server.post("/v1/check", NO_SUSPENSION.read_bytes()).json()
    assert passing["ok"] is True
    assert passing["scenarios"][0]["verdict"] == "ok"
    wrong = NO_SUSPENSION.read_text(encoding="utf-8").replace(
        "terminated_at: 2019-11-23", "terminated_at: 2020-11-23"
    )
    failing = server.post("/v1/check", wrong).json()
    assert failing["ok"] is False
    assert "terminated_at" in failing["scenarios"][0]["differences"]


def test_sweep_streams_the_clis_json_lines(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    vary = "actions[0].at=2019-08-20..2019-08-28"
    code, out, _ = cli(
        ["sweep", str(NO_SUSPENSION), "--vary", vary, "--format", "jsonl", "--jobs", "1"], capsys
    )
    assert code == 0
    answer = server.post(f"/v1/sweep?vary={quote(vary)}", NO_SUSPENSION.read_bytes())
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("application/x-ndjson")
    assert answer.body.decode("utf-8") == out


def test_sweep_values_are_capped_unless_summary(server: Server) -> None:
    vary = quote("actions[0].at=2000-01-01..2099-12-31")  # 36,525 days: over the 10,000 cap
    body = NO_SUSPENSION.read_text(encoding="utf-8").replace("2021-01-01", "2103-01-01")
    capped = server.post(f"/v1/sweep?vary={vary}", body)
    assert capped.status == 400
    assert capped.headers["content-type"] == PROBLEM
    assert "10,000" in capped.json()["detail"]
    summary = server.post(f"/v1/sweep?vary={vary}&summary=true", body)
    assert summary.status == 200
    assert summary.headers["content-type"].startswith("application/json")
    # PRODUCT.md, "Counting": the cliff of the 2019 term is the notice deadline.
    cliffs = [r["cliff"] for r in summary.json()["ranges"]]
    assert "2019-08-25T00:00:00+09:00" in cliffs


def test_treaties_answer_the_clis_list(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    assert server.get("/v1/treaties").json() == cli_json(["treaties"], capsys)
    gsomia = server.get("/v1/treaties/gsomia").json()
    # GSOMIA art. 21(3): one year, extended annually, ninety days' notice.
    assert gsomia["clause"]["term"] == "1y"
    assert gsomia["clause"]["notice"] == "90d"
    assert gsomia["timezone"] == "Asia/Seoul"


def test_an_unknown_treaty_is_404_with_a_did_you_mean(server: Server) -> None:
    for path in ("/v1/treaties/gsomiaa", "/v1/deadlines/gsomiaa", "/v1/calendar/gsomiaa.ics"):
        answer = server.get(path)
        assert answer.status == 404, path
        assert answer.headers["content-type"] == PROBLEM
        assert "did you mean 'gsomia'?" in answer.json()["detail"]


def test_deadlines_answer_the_clis_json(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    answer = server.get("/v1/deadlines/gsomia?as_of=2019-08-22&from=2016&to=2021")
    args = ["deadlines", "gsomia", "--as-of", "2019-08-22", "--from", "2016", "--to", "2021"]
    assert answer.json() == cli_json(args, capsys)
    bad = server.get("/v1/deadlines/gsomia?as_of=2019-02-30")
    assert bad.status == 400
    assert bad.headers["content-type"] == PROBLEM
    assert "as_of" in bad.json()["detail"]


def test_the_calendar_feed_has_caching_headers(server: Server) -> None:
    answer = server.get("/v1/calendar/gsomia.ics?from=2019&to=2019")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    assert answer.body.startswith(b"BEGIN:VCALENDAR")
    # README: the last day to notify for the 2019 term is 24 August 2019.
    assert b"20190824" in answer.body
    for header in ("etag", "last-modified", "cache-control"):
        assert header in answer.headers
    again = server.get("/v1/calendar/gsomia.ics?from=2019&to=2019")
    assert again.headers["etag"] == answer.headers["etag"]
    assert again.body == answer.body
    unchanged = server.get(
        "/v1/calendar/gsomia.ics?from=2019&to=2019",
        headers={"If-None-Match": answer.headers["etag"]},
    )
    assert unchanged.status == 304
    assert unchanged.body == b""
    since = server.get(
        "/v1/calendar/gsomia.ics?from=2019&to=2019",
        headers={"If-Modified-Since": answer.headers["last-modified"]},
    )
    assert since.status == 304
    other = server.get("/v1/calendar/gsomia.ics?from=2020&to=2020")
    assert other.headers["etag"] != answer.headers["etag"]


def test_the_report_is_a_page_with_a_content_security_policy(server: Server) -> None:
    page = server.get("/v1/report?treaty=gsomia")
    assert page.status == 200
    assert "script-src" not in page.headers["content-security-policy"]
    assert b"<svg" in page.body
    posted = server.post("/v1/report?format=svg", HISTORY.read_bytes())
    assert posted.headers["content-type"].startswith("image/svg+xml")
    assert b'class="timeline"' in posted.body


def test_the_page_and_its_script_are_files_with_a_policy(server: Server) -> None:
    page = server.get("/")
    assert page.status == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert b'<script src="/static/app.js"' in page.body
    assert b"<script>" not in page.body
    assert server.get("/static/app.js").status == 200
    assert server.get("/static/../api.py").status == 404


def test_openapi_uses_the_scenario_model_of_treaty_sim_schema(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    document = server.get("/openapi.json").json()
    schema = cli_json(["schema"], capsys)
    assert isinstance(schema, dict)
    scenario = document["components"]["schemas"]["Scenario"]
    assert scenario["properties"].keys() == schema["properties"].keys()
    assert set(schema["$defs"]) <= set(document["components"]["schemas"])
    body = document["paths"]["/v1/run"]["post"]["requestBody"]["content"]
    assert body["application/yaml"]["schema"] == {"$ref": "#/components/schemas/Scenario"}
    for path in ("/v1/check", "/v1/sweep", "/v1/treaties", "/v1/deadlines/{name}", "/healthz"):
        assert path in document["paths"]


def test_a_body_over_one_mebibyte_is_413(server: Server) -> None:
    answer = server.post("/v1/run", b"name: x\n" + b"#" * (1024 * 1024))
    assert answer.status == 413
    assert answer.headers["content-type"] == PROBLEM
    assert server.get("/healthz").status == 200


def _hostile_files(tmp_path: Path) -> list[tuple[str, bytes]]:
    """The bad-input files of tests/test_errors.py, and the loader's limits."""
    files = [(what, text.encode("utf-8")) for what, text, *_ in CASES]
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        bomb.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    daily = GOOD_TREATY.replace("term: 1y, renewal: 1y, notice: 90d", "term: 1d, renewal: 1d")
    files += [
        ("alias bomb", ("\n".join(bomb) + "\nname: bomb\ntreaty: gsomia\n").encode()),
        ("deep nesting", ("name: " + "[" * 5000 + "]" * 5000 + "\ntreaty: gsomia\n").encode()),
        ("horizon far away", ("name: x\n" + daily + "horizon: 9999-01-01\n").encode()),
        ("binary", b"\x89PNG\r\n\x1a\n\x00\x00binary"),
        ("not utf-8", "name: caf\xe9\ntreaty: gsomia\n".encode("latin-1")),
        ("over the loader's size", b"name: x\ntreaty: gsomia\n" + b"#" * 1_000_000),
    ]
    return files


def test_every_hostile_file_gets_the_clis_message_and_the_server_goes_on(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for what, data in _hostile_files(tmp_path):
        path = tmp_path / "hostile.yaml"
        path.write_bytes(data)
        code, _, err = cli(["run", str(path)], capsys)
        assert code == 2, what
        expected = []
        for line in err.strip().splitlines():
            match = LINE.match(line)
            assert match, (what, line)
            where = (int(match["line"]), int(match["col"]))
            expected.append((*where, match["field"], match["message"]))
        answer = server.post("/v1/run", data)
        assert 400 <= answer.status < 500, (what, answer.status)
        assert answer.headers["content-type"] == PROBLEM, what
        got = [(e["line"], e["column"], e["field"], e["message"]) for e in answer.json()["errors"]]
        assert got == expected, what
        assert server.get("/healthz").json()["jobs_running"] == 0


def test_the_command_refuses_an_address_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "sim", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
    assert done.returncode == 2
    assert re.fullmatch(r"serve:1:1: --port: cannot listen on 127\.0\.0\.1:\d+: .+\n", done.stderr)


def test_the_time_limit_stops_the_work_and_cors_is_only_for_the_origin_named() -> None:
    daily = GOOD_TREATY.replace("term: 1y, renewal: 1y, notice: 90d", "term: 1d, renewal: 1d")
    # About 98,000 term ends (under the 100,000 event limit): seconds of work.
    slow = "name: slow\n" + daily + "horizon: 2285-01-01\n"
    with serving("--workers", "1", "--timeout", "0.5", "--cors", "https://news.example") as small:
        started = time.monotonic()
        answer = small.post("/v1/run", slow)
        assert answer.status == 503
        assert "time limit of 0.5 s" in answer.json()["detail"]
        assert time.monotonic() - started < 5
        # The one worker was replaced: the next request is served at once, none is running.
        assert small.post("/v1/run", notice("2019-08-24")).status == 200
        assert small.get("/healthz").json()["jobs_running"] == 0
        allowed = small.get("/v1/treaties", headers={"Origin": "https://news.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://news.example"
        other = small.get("/v1/treaties", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def test_no_cors_unless_asked(server: Server) -> None:
    answer = server.get("/v1/treaties", headers={"Origin": "https://news.example"})
    assert "access-control-allow-origin" not in answer.headers


def test_a_client_leaving_mid_sweep_leaves_no_work_running(server: Server) -> None:
    # One engine run per value (a horizon is not an action's instant): 9,000 values take far
    # longer than the test waits.
    vary = quote("horizon=2020-01-01..2044-08-21")
    body = NO_SUSPENSION.read_bytes()
    request = (
        f"POST /v1/sweep?vary={vary} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/yaml\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as client:
        client.sendall(request)
        received = b""
        while b"\n{" not in received.split(b"\r\n\r\n", 1)[-1]:
            received += client.recv(65536)
        assert received.startswith(b"HTTP/1.1 200")
        assert server.get("/healthz").json()["jobs_running"] == 1
    deadline = time.monotonic() + 10
    while server.get("/healthz").json()["jobs_running"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.get("/healthz").json()["jobs_running"] == 0
    # Nothing of the server's spends processor time once it is idle.
    before = session_cpu_seconds(server.pid)
    time.sleep(1.0)
    assert session_cpu_seconds(server.pid) - before < 0.2
    assert server.post("/v1/run", notice("2019-08-24")).status == 200
