"""``k8stui web``: argument parsing and the start-up checks (the server is in server.py)."""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from k8stui.web.server import WebSettings

PASSWORD_ENV = "K8STUI_WEB_PASSWORD"
NO_AUTH_WARNING = (
    "warning: k8stui web is listening on {host}, beyond this machine, WITHOUT authentication: "
    "anyone who can reach it can start games. Give --password (or set $K8STUI_WEB_PASSWORD)."
)


def add_parser(sub: Any) -> None:
    """Register ``k8stui web`` on the top-level sub-parsers."""
    web = sub.add_parser("web", help="serve the game in a browser (needs k8stui[web])")
    web.add_argument("--port", type=int, default=8000, help="TCP port (default 8000; 0 = any)")
    web.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only); another address "
        "lets other machines in: give --password with it",
    )
    web.add_argument("--pack", action="append", type=Path, default=[], help="also offer this pack")
    web.add_argument(
        "--max-sessions", type=int, default=8, help="games at once (default 8; about 2 per core)"
    )
    web.add_argument(
        "--idle-timeout",
        type=float,
        default=900.0,
        metavar="SECONDS",
        help="end a tab's game after this long without a key (default 900)",
    )
    web.add_argument(
        "--password",
        default=None,
        help=f"class password (or ${PASSWORD_ENV}); students sign in once per browser",
    )
    web.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where each player's progress is kept (default: a new temporary folder)",
    )
    web.add_argument(
        "--exit-after",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop the server after this long (demos and tests)",
    )


def startup_warnings(settings: WebSettings) -> list[str]:
    """What the instructor must hear before the server starts."""
    if not settings.loopback and settings.password is None:
        return [NO_AUTH_WARNING.format(host=settings.host)]
    return []


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``k8stui web``; returns the exit code."""
    try:
        from k8stui.web.server import WebSettings, serve
    except ImportError as exc:
        print(
            f'k8stui web needs the web extra ({exc.name} is missing): pip install "k8stui[web]"',
            file=err,
        )
        return 2
    if args.max_sessions < 1 or args.idle_timeout <= 0:
        print("k8stui web: --max-sessions and --idle-timeout must be positive", file=err)
        return 2
    for pack in args.pack:
        if not pack.exists():
            print(f"k8stui web: {pack}: no such pack", file=err)
            return 2
    password = args.password or os.environ.get(PASSWORD_ENV) or None
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="k8stui-web-"))
    settings = WebSettings(
        host=args.host,
        port=args.port,
        packs=list(args.pack),
        max_sessions=args.max_sessions,
        idle_timeout=args.idle_timeout,
        data_dir=data_dir,
        password=password,
        exit_after=args.exit_after,
    )
    for warning in startup_warnings(settings):
        print(warning, file=err)
    print(f"k8stui web: progress of each player is kept under {data_dir}", file=out)
    try:
        asyncio.run(serve(settings, out))
    except OSError as exc:
        print(f"k8stui web: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=err)
        return 2
    except KeyboardInterrupt:
        pass
    return 0
