"""``mixpeek-emulator``: run the local Mixpeek Clusters API server.

The socket is bound before anything is printed, so the first stdout line (the base URL) is a
promise that the server accepts connections; with ``--port 0`` the OS picks a free port.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sys
from collections.abc import Sequence
from types import FrameType

from .auth import ApiKey, Keyring, parse_api_key
from .defaults import ENV_FILL_DEFAULTS
from .levels import API_VERSIONS, DEFAULT_API_VERSION, ENV_API_VERSION

__all__ = ["ENV_API_KEYS", "main", "parse_args"]

ENV_API_KEYS = "MIXPEEK_EMULATOR_API_KEYS"
DEFAULT_DB = os.path.join(".mixpeek-emulator", "emulator.db")
DEFAULT_PORT = 8765


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="mixpeek-emulator",
        description="A local server speaking the Mixpeek Clusters API, at the level of mixpeek "
        "SDK 1.3.1 or 1.3.783 (--api-version).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT,
        help=f"port to bind; 0 picks a free one (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--db", default=DEFAULT_DB,
        help=f"SQLite database file, or :memory: (default {DEFAULT_DB})",
    )
    parser.add_argument(
        "--api-key", action="append", default=[], metavar="KEY[:NS1,NS2]",
        help=f"accepted API key, optionally limited to namespaces; repeatable. Also read "
        f"from ${ENV_API_KEYS} (whitespace-separated)",
    )
    parser.add_argument(
        "--api-version", default=None, metavar="|".join(API_VERSIONS),
        help=f"the API level to speak, named by the SDK release that documents it (default "
        f"{DEFAULT_API_VERSION}; also ${ENV_API_VERSION})",
    )
    parser.add_argument(
        "--task-duration", type=float, default=1.0, metavar="SECONDS",
        help="how long a clustering run takes (default 1.0)",
    )
    parser.add_argument(
        "--no-control", action="store_true", help="do not serve the /_emulator test controls"
    )
    parser.add_argument(
        "--fill-defaults", action="store_true",
        default=os.environ.get(ENV_FILL_DEFAULTS, "").lower() in ("1", "true", "yes"),
        help="answer with server-side defaults filled in and fields SDK 1.3.1 does not know, "
        f"as the live API does (also ${ENV_FILL_DEFAULTS}=1)",
    )
    parser.add_argument(
        "--log-level", default="warning",
        choices=["critical", "error", "warning", "info", "debug"],
        help="server log level, on stderr (default warning)",
    )
    args = parser.parse_args(argv)
    if args.task_duration < 0:
        parser.error("--task-duration must be >= 0")
    if args.api_version is None:
        args.api_version = os.environ.get(ENV_API_VERSION, "").strip() or DEFAULT_API_VERSION
        source = f"${ENV_API_VERSION}"
    else:
        source = "--api-version"
    if args.api_version not in API_VERSIONS:
        parser.error(
            f"{source} {args.api_version!r} is not a level this server speaks: use one of "
            f"{', '.join(API_VERSIONS)}"
        )
    return args


def _keys(args: argparse.Namespace) -> list[ApiKey]:
    specs = [*args.api_key, *os.environ.get(ENV_API_KEYS, "").split()]
    return [parse_api_key(spec) for spec in specs]


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be IPPROTO_TCP (not 0): asyncio sets TCP_NODELAY on accepted connections
    # only then, and without it every response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        keys = _keys(args)
    except ValueError as exc:
        print(f"mixpeek-emulator: {exc}", file=sys.stderr)
        return 2
    if not keys:
        print(
            f"mixpeek-emulator: no API keys: pass --api-key KEY (repeatable) or set "
            f"{ENV_API_KEYS}",
            file=sys.stderr,
        )
        return 2

    import uvicorn

    from .app import create_app
    from .faults import Faults
    from .requestlog import RequestLog
    from .state import Services
    from .store import Store

    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    store = Store(args.db)
    services = Services(
        store=store,
        keyring=Keyring(keys),
        faults=Faults(),
        log=RequestLog(),
        task_duration=args.task_duration,
        fill_defaults=args.fill_defaults,
        api_version=args.api_version,
    )
    app = create_app(services, control_enabled=not args.no_control)
    try:
        sock = _bind(args.host, args.port)
    except OSError as exc:
        print(f"mixpeek-emulator: cannot bind {args.host}:{args.port}: {exc}", file=sys.stderr)
        store.close()
        return 1
    print(_url(sock), flush=True)
    config = uvicorn.Config(
        app,
        log_level=args.log_level,
        access_log=False,
        http="h11",
        lifespan="off",
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=3,
    )
    server = uvicorn.Server(config)

    def stop(_sig: int, _frame: FrameType | None) -> None:
        server.should_exit = True

    # uvicorn shuts down gracefully on SIGTERM/SIGINT, then re-raises the signal under the
    # handlers that were installed before it started; these make that a clean exit (status 0).
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
