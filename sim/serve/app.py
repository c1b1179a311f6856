"""The HTTP service (``treaty-sim serve``, docs/serve.md): FastAPI routes over the Python API,
each simulation run in a worker process under a time limit (sim/serve/pool.py).

Errors are RFC 9457 problem details (``application/problem+json``) carrying the command
line's located messages: 422 for a mistake in the scenario sent, 400 for one in the query,
404 for an unknown treaty (with its did-you-mean), 413 for a body over 1 MiB, 503 for a
request that ran past the time limit. No request names a file on the server: a scenario is
sent in the body, a treaty by its built-in name."""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import AsyncIterator
from contextlib import aclosing, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException

from sim import library
from sim.commands.sweep.values import MAX_VALUES
from sim.core.model import Interpretation, Scenario, Treaty
from sim.serve.jobs import BODY
from sim.serve.pool import TimeLimit, WorkerPool

__all__ = ["MAX_BODY", "Settings", "create_app"]

MAX_BODY = 1024 * 1024
"""The largest request body accepted (1 MiB); the loader's own limit then applies."""

STATIC = Path(__file__).resolve().parent / "static"

PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

INTERPRETATIONS = [*(i.value for i in Interpretation), "all"]
InterpretationQuery = Annotated[str | None, Query(pattern="^(" + "|".join(INTERPRETATIONS) + ")$")]
ReportFormat = Annotated[str, Query(pattern="^(html|svg)$")]


@dataclass(frozen=True)
class Settings:
    """How the service runs: worker processes, the time limit of a request (seconds), the
    one origin allowed to call it from a browser (None: no CORS), and a file to write the
    service's address in once it is ready (None: none)."""

    workers: int = 2
    timeout: float = 10.0
    cors: str | None = None
    url: str | None = None
    url_file: str | None = None


class Problem(Exception):
    """A request refused: its status, a one-line title and the detail (RFC 9457)."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def _problem_response(problem: Problem, instance: str) -> JSONResponse:
    document: dict[str, Any] = {
        "type": "about:blank",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "instance": instance,
    }
    if problem.errors is not None:
        document["errors"] = problem.errors
    return JSONResponse(
        document,
        status_code=problem.status,
        media_type="application/problem+json",
        headers=problem.headers,
    )


def _unknown_treaty(name: str) -> Problem:
    close = difflib.get_close_matches(name, library.names(), n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    known = ", ".join(library.names())
    return Problem(404, "Not Found", f"unknown treaty {name!r}{hint} (built-in: {known})")


def _treaty_name(name: str) -> str:
    if name not in library.names():
        raise _unknown_treaty(name)
    return name


async def _body(request: Request) -> bytes:
    """The request's body, refused with 413 past :data:`MAX_BODY` (before it is all read)."""
    length = request.headers.get("content-length", "")
    too_large = Problem(413, "Content Too Large", f"the body is larger than {MAX_BODY:,} bytes")
    if length.isdigit() and int(length) > MAX_BODY:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _refusal(kind: str, value: Any) -> Problem:
    if kind == "input":
        in_body = all(problem["file"] == BODY for problem in value)
        status, title = (422, "Unprocessable Content") if in_body else (400, "Bad Request")
        detail = "\n".join(problem["text"] for problem in value)
        return Problem(status, title, detail, errors=value)
    return Problem(500, "Internal Server Error", f"a bug in treaty-sim: {value}")


def _time_limit(timeout: float) -> Problem:
    return Problem(
        503,
        "Service Unavailable",
        f"the request ran past the time limit of {timeout:g} s and was stopped: choose an "
        "earlier horizon, fewer values or fewer draws",
        headers={"Retry-After": "1"},
    )


SCENARIO_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "a scenario, as YAML or JSON (the scenario file's format, at most 1 MiB)",
        "content": {
            media: {"schema": {"$ref": "#/components/schemas/Scenario"}}
            for media in ("application/yaml", "application/json")
        },
    }
}
PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {"application/problem+json": {}}}
    for status, text in (
        (400, "a mistake in the query"),
        (404, "an unknown treaty"),
        (413, "a body over 1 MiB"),
        (422, "a mistake in the scenario, located as the command line says it"),
        (503, "the request ran past the time limit"),
    )
}


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service's application."""
    settings = settings or Settings()
    pool = WorkerPool(settings.workers, settings.timeout)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await pool.start()
        if settings.url_file is not None and settings.url is not None:
            Path(settings.url_file).write_text(settings.url + "\n", encoding="utf-8")
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(
        title="treaty-sim",
        summary="The deadline and renewal rules of treaties, as a service",
        version="0.3",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.pool = pool
    treaties = _treaty_rows()

    if settings.cors is not None:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=[settings.cors],
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
        )

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
        return response

    @app.exception_handler(Problem)
    async def refused(request: Request, problem: Problem) -> JSONResponse:
        return _problem_response(problem, request.url.path)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        title = HTTPStatus(error.status_code).phrase
        detail = (
            str(error.detail) if error.detail != title else f"no such resource: {request.url.path}"
        )
        return _problem_response(Problem(error.status_code, title, detail), request.url.path)

    @app.exception_handler(RequestValidationError)
    async def bad_query(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = []
        for item in error.errors():
            field = ".".join(str(part) for part in item["loc"][1:]) or "(query)"
            errors.append({"field": field, "message": str(item["msg"])})
        detail = "\n".join(f"{e['field']}: {e['message']}" for e in errors)
        return _problem_response(Problem(400, "Bad Request", detail, errors), request.url.path)

    async def answer(name: str, *arguments: Any) -> Any:
        try:
            kind, value = await pool.call(name, *arguments)
        except TimeLimit:
            raise _time_limit(settings.timeout) from None
        if kind != "ok":
            raise _refusal(kind, value)
        return value

    @app.get("/healthz", summary="whether the service is up, and the jobs running now")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "workers": pool.size, "jobs_running": pool.running}

    @app.post(
        "/v1/run",
        summary="run a scenario: the body of `treaty-sim run --format json`",
        openapi_extra=SCENARIO_BODY,
        responses=PROBLEMS,
    )
    async def run(
        request: Request,
        interpretation: InterpretationQuery = None,
    ) -> Response:
        return _json(await answer("run", await _body(request), interpretation))

    @app.post(
        "/v1/check",
        summary="check a scenario's expect: block (`treaty-sim check --format json`, and ok)",
        openapi_extra=SCENARIO_BODY,
        responses=PROBLEMS,
    )
    async def check(request: Request) -> Response:
        return _json(await answer("check", await _body(request)))

    @app.post(
        "/v1/sweep",
        summary="what-if: one JSON line per value of the varied field, streamed",
        openapi_extra=SCENARIO_BODY,
        responses=PROBLEMS,
    )
    async def sweep(
        request: Request,
        vary: Annotated[list[str], Query(min_length=1)],
        step: str | None = None,
        summary: bool = False,
    ) -> StreamingResponse:
        body = await _body(request)
        answers = pool.stream("sweep", body, vary, step, summary, MAX_VALUES)
        try:
            first = await anext(answers)
        except TimeLimit:
            await answers.aclose()
            raise _time_limit(settings.timeout) from None
        if first[0] not in ("chunk", "done"):
            await answers.aclose()
            raise _refusal(*first)

        async def lines() -> AsyncIterator[str]:
            async with aclosing(answers):
                kind, value = first
                while kind == "chunk":
                    yield value
                    try:
                        kind, value = await anext(answers)
                    except TimeLimit:
                        kind, value = "bug", f"stopped at the time limit of {settings.timeout:g} s"
                if kind != "done":
                    yield '{"error": ' + _json_text(str(value)) + "}\n"

        media = "application/json" if summary else "application/x-ndjson"
        return StreamingResponse(lines(), media_type=media)

    @app.get("/v1/treaties", summary="the built-in treaties (`treaty-sim treaties --format json`)")
    async def list_treaties() -> dict[str, Any]:
        return {"treaties": treaties}

    @app.get(
        "/v1/treaties/{name}",
        summary="a built-in treaty, as its data file gives it",
        response_model=Treaty,
        responses=PROBLEMS,
    )
    async def one_treaty(name: str) -> Treaty:
        return library.builtin(_treaty_name(name))

    @app.get(
        "/v1/deadlines/{name}",
        summary="a built-in treaty's deadline table (`treaty-sim deadlines --format json`)",
        responses=PROBLEMS,
    )
    async def deadlines(
        name: str,
        as_of: date | None = None,
        first_year: Annotated[int | None, Query(alias="from", ge=1, le=9998)] = None,
        last_year: Annotated[int | None, Query(alias="to", ge=1, le=9998)] = None,
    ) -> Response:
        day = as_of or date.today()
        return _json(await answer("deadlines", _treaty_name(name), day, first_year, last_year))

    @app.api_route(
        "/v1/calendar/{name}.ics",
        methods=["GET", "HEAD"],
        summary="a built-in treaty's deadlines as an iCalendar feed to subscribe to",
        response_class=Response,
        responses={200: {"content": {"text/calendar": {}}}, **PROBLEMS},
    )
    async def calendar(
        request: Request,
        name: str,
        first_year: Annotated[int | None, Query(alias="from", ge=1, le=9998)] = None,
        last_year: Annotated[int | None, Query(alias="to", ge=1, le=9998)] = None,
    ) -> Response:
        _treaty_name(name)
        # Stamped with the treaty's data file's time, so that the feed's bytes, and so its
        # ETag, change only when its dates do.
        data_file = Path(library.__file__).resolve().parent / "treaties" / f"{name}.yaml"
        stamp = datetime.fromtimestamp(int(data_file.stat().st_mtime), UTC)
        data: bytes = await answer("calendar", name, first_year, last_year, stamp)
        tag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        caching = {
            "ETag": tag,
            "Last-Modified": format_datetime(stamp, usegmt=True),
            "Cache-Control": "public, max-age=3600",
        }
        if _not_modified(request, tag, stamp):
            return Response(status_code=304, headers=caching)
        return Response(data, media_type="text/calendar; charset=utf-8", headers=caching)

    async def report_page(text: str, fmt: str) -> Response:
        if fmt == "svg":
            return Response(text, media_type="image/svg+xml")
        return Response(
            text,
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": REPORT_POLICY},
        )

    @app.get(
        "/v1/report",
        summary="the HTML report (or SVG picture) of a built-in treaty",
        response_class=Response,
        responses=PROBLEMS,
    )
    async def report(
        treaty: str,
        interpretation: InterpretationQuery = None,
        format: ReportFormat = "html",
    ) -> Response:
        text = await answer("report", None, _treaty_name(treaty), interpretation, format)
        return await report_page(text, format)

    @app.post(
        "/v1/report",
        summary="the HTML report (or SVG picture) of the scenario sent",
        response_class=Response,
        openapi_extra=SCENARIO_BODY,
        responses=PROBLEMS,
    )
    async def report_of(
        request: Request,
        interpretation: InterpretationQuery = None,
        format: ReportFormat = "html",
    ) -> Response:
        text = await answer("report", await _body(request), None, interpretation, format)
        return await report_page(text, format)

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> FileResponse:
        files = {"app.js": "text/javascript", "app.css": "text/css"}
        if name not in files:
            raise Problem(404, "Not Found", f"no file {name!r}")
        return FileResponse(STATIC / name, media_type=files[name])

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title, version=app.version, summary=app.summary, routes=app.routes
            )
            schema = Scenario.model_json_schema(ref_template="#/components/schemas/{model}")
            components = document.setdefault("components", {}).setdefault("schemas", {})
            components.update(schema.pop("$defs", {}))
            components["Scenario"] = schema
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _json(data: bytes) -> Response:
    return Response(data, media_type="application/json")


def _json_text(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _not_modified(request: Request, tag: str, stamp: datetime) -> bool:
    """A conditional GET that the client's copy still answers (RFC 9110 §13.1)."""
    matches = request.headers.get("if-none-match")
    if matches is not None:
        return tag in [t.strip() for t in matches.split(",")] or matches.strip() == "*"
    since = request.headers.get("if-modified-since")
    if since is None:
        return False
    try:
        return stamp <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def _treaty_rows() -> list[dict[str, Any]]:
    from sim import api

    return api.treaties()
