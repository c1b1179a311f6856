"""``treaty-sim serve``: the simulator as an HTTP service on this machine (docs/serve.md),
in the optional extra ``serve`` (FastAPI on uvicorn). Registering the command imports
neither: they are imported when the service starts."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from sim.errors import InputError

__all__ = ["add_arguments", "command"]


def _positive(kind: type[int] | type[float]) -> Any:
    def read(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text!r}: must be more than 0")
        return value

    return read


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``serve`` (registered by sim/cli.py)."""
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, this machine only)",
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="the port; 0 picks a free one (default: 8000)"
    )
    parser.add_argument(
        "--workers",
        type=_positive(int),
        default=min(os.cpu_count() or 1, 4),
        metavar="N",
        help="worker processes that run the simulations (default: cores, at most 4)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive(float),
        default=10.0,
        metavar="SECONDS",
        help="the time limit of one request; past it, 503 and the work is stopped (default: 10)",
    )
    parser.add_argument(
        "--cors",
        metavar="ORIGIN",
        default=None,
        help="let pages of this one origin call the service from a browser (default: none)",
    )
    parser.add_argument(
        "--url-file",
        metavar="FILE",
        default=None,
        help="write the service's address to FILE once it answers (for scripts, with --port 0)",
    )


def command(args: argparse.Namespace) -> int:
    """Serve until interrupted; an input error (exit 2) when the extra is missing or the
    address cannot be listened on."""
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError:
        raise InputError(
            "serve", 1, 1, "(extra)", "needs the serve extra: pip install 'treaty-sim[serve]'"
        ) from None
    import socket

    from sim.serve.app import Settings, create_app

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    try:
        listening = socket.create_server((args.host, args.port), family=family)
    except OSError as error:
        where = f"{args.host}:{args.port}"
        raise InputError(
            "serve", 1, 1, "--port", f"cannot listen on {where}: {error.strerror}"
        ) from None
    port = listening.getsockname()[1]
    host = f"[{args.host}]" if family == socket.AF_INET6 else args.host
    url = f"http://{host}:{port}"
    settings = Settings(args.workers, args.timeout, args.cors, url, args.url_file)
    sys.stdout.write(
        f"treaty-sim serve: {url}/ ({args.workers} workers, time limit {args.timeout:g} s; "
        "Ctrl-C stops it)\n"
    )
    sys.stdout.flush()
    config = uvicorn.Config(create_app(settings), log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[listening])
    return 0
