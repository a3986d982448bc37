"""``curl URL``: an HTTP request from a debug vantage point inside the cluster network.

Service names (``web``, ``web.default``, ``web.default.svc.cluster.local``), ClusterIPs and pod
IPs all work, as from a pod in the ``default`` namespace. ``localhost`` is the console's own
machine: a ``kubectl port-forward`` job listening on the port answers, else nothing does.
``-d DATA`` sends a POST with that body (``-X`` names another method), as curl does;
``-d @FILE`` reads the body from a file of the console's folder, without its line breaks
(``--data-binary @FILE`` keeps them, ``--data-raw`` takes ``@`` as it is).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from k8stui.engine.cluster import Cluster
from k8stui.engine.network.traffic import Response

Result = tuple[str, str, int]
Local = Callable[[int | None, str], Response | None]
"""A connection to this machine's ``port`` (a ``kubectl port-forward``), None if none listens."""
ReadFile = Callable[[str], str]
"""The text of a file of the console's folder (OSError when it cannot be read)."""
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")
REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    301: "Moved Permanently",
    302: "Found",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}

HELP = """Usage: curl [options...] <url>
 -d, --data <data>   HTTP POST data (@FILE: read from a file, line breaks dropped)
     --data-binary <data>  HTTP POST data (@FILE: read from a file as it is)
     --data-raw <data>     HTTP POST data, '@' allowed
 -i, --include       Include the HTTP status line in the output
 -m, --max-time <s>  Maximum time allowed for the transfer
 -s, --silent        Silent mode (no error messages unless -S)
 -S, --show-error    Show error messages even when -s is used
 -X, --request <method>  Specify request method to use
Requests go from a debug pod in the cluster's default namespace.
"""


# Options taking a value (besides the timeout): the method ("X") or a part of the body: "d"
# reads @FILE without line breaks, "binary" reads it as it is, "raw" never reads a file.
_VALUED = {
    "-d": "d",
    "--data": "d",
    "--data-ascii": "d",
    "--data-raw": "raw",
    "--data-binary": "binary",
    "-X": "X",
    "--request": "X",
}


def run_curl(
    cluster: Cluster,
    args: list[str],
    local: Local | None = None,
    read_file: ReadFile | None = None,
) -> Result:
    """Run ``curl ARGS``; returns (stdout, stderr, exit code).

    ``localhost`` goes through ``local`` (the session's port-forwards) when one listens on the
    port; otherwise it is the debug pod's own, where nothing listens. ``read_file`` reads the
    files ``-d @FILE`` names (without it none can be read).
    """
    silent = show_error = include = False
    max_time: float | None = None
    method: str | None = None
    data: list[tuple[str, str]] = []  # (how, value) of each -d and its kin
    urls: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg in ("-h", "--help"):
            return HELP, "", 0
        valued = _VALUED.get(arg.split("=", 1)[0] if arg.startswith("--") else arg)
        if valued is not None:
            if "=" in arg and arg.startswith("--"):
                value = arg.split("=", 1)[1]
            elif index < len(args):
                value = args[index]
                index += 1
            else:
                return "", f"curl: option {arg}: requires parameter\n", 2
            if valued == "X":
                method = value
            else:
                data.append((valued, value))
        elif arg in ("-m", "--max-time"):
            if index >= len(args):
                return "", "curl: option -m: requires parameter\n", 2
            try:
                max_time = float(args[index])
            except ValueError:
                return "", "curl: option -m: expected a proper numerical parameter\n", 2
            index += 1
        elif arg.startswith("--max-time="):
            try:
                max_time = float(arg.split("=", 1)[1])
            except ValueError:
                return "", "curl: option --max-time: expected a proper numerical parameter\n", 2
        elif arg.startswith("--"):
            long_flags = {"--silent": "s", "--show-error": "S", "--include": "i"}
            if arg not in long_flags:
                return "", f"curl: option {arg}: is unknown\n", 2
            silent |= long_flags[arg] == "s"
            show_error |= long_flags[arg] == "S"
            include |= long_flags[arg] == "i"
        elif arg.startswith("-") and len(arg) > 1:
            for letter in arg[1:]:
                if letter not in "sSiv":
                    return "", f"curl: option {arg}: is unknown\n", 2
            silent |= "s" in arg
            show_error |= "S" in arg
            include |= "i" in arg
        else:
            urls.append(arg)
    if not urls:
        return "", "curl: no URL specified!\n", 2
    out: list[str] = []
    err: list[str] = []
    # Several -d join with '&', and any of them makes the request a POST unless -X says else.
    body = "&".join(_part(how, value, read_file, err if not silent else []) for how, value in data)
    method = method or ("POST" if data else "GET")
    code = 0
    for url in urls:
        try:
            parts = urlsplit(url if "://" in url else "http://" + url)
            host = parts.hostname or ""
        except ValueError:
            code = 3
            err.append("curl: (3) URL rejected: Malformed input to a URL function\n")
            continue
        if parts.scheme not in ("http", "https"):
            code = 1
            err.append(f'curl: (1) Protocol "{parts.scheme}" not supported\n')
            continue
        try:
            port = parts.port
        except ValueError:
            code = 3
            err.append(
                "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n"
            )
            continue
        if local is not None and host in LOCAL_HOSTS and (method != "GET" or data):
            code = 2
            err.append(
                "curl: a request with a body to localhost is not simulated; send it to the "
                "pod's or the Service's name instead\n"
            )
            continue
        if local is not None and host in LOCAL_HOSTS:
            # This machine: a port-forward if one listens on the port, else nothing does.
            response = local(port, parts.path or "/") or Response(
                ok=False,
                error=f"Failed to connect to {host} port {port or 80} after 0 ms: "
                "Couldn't connect to server",
                exit_code=7,
            )
        else:
            response = cluster.request(host, port, parts.path or "/", method=method, body=body)
        if not response.ok:
            code = response.exit_code
            message = response.error
            if code == 28 and max_time is not None and max_time * 1000 < response.elapsed_ms:
                message = f"Connection timed out after {int(max_time * 1000)} milliseconds"
            if not silent or show_error:
                err.append(f"curl: ({code}) {message}\n")
            continue
        if include:
            reason = REASONS.get(response.status, "")
            out.append(f"HTTP/1.1 {response.status} {reason}\n\n")
        out.append(response.body)
    return "".join(out), "".join(err), code


def _part(how: str, value: str, read_file: ReadFile | None, warnings: list[str]) -> str:
    """One ``-d`` value as it goes into the body: ``@FILE`` read unless ``--data-raw``."""
    if how == "raw" or not value.startswith("@"):
        return value
    name = value[1:]
    try:
        if read_file is None:
            raise FileNotFoundError(name)
        text = read_file(name)
    except (OSError, UnicodeDecodeError):
        warnings.append(
            f'Warning: Couldn\'t read data from file "{name}", this makes an empty POST.\n'
        )
        return ""
    return text if how == "binary" else text.replace("\r", "").replace("\n", "")
