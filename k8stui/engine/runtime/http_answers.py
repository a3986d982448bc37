"""How a container's process answers HTTP requests (fixed responses, served files, failures)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from k8stui.engine.runtime.data_answers import DataApp, Peers, WriteFile, data_answer
from k8stui.engine.runtime.placeholders import render_template, unix_date

_NOT_FOUND_PAGE = (
    "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    "<center><h1>404 Not Found</h1></center>\r\n</body>\r\n</html>\r\n"
)


@dataclass(frozen=True)
class HttpSpec:
    """How the process answers HTTP requests on its ports."""

    response: str | None
    status: int = 200
    serve_file: str | None = None
    failing_after_requests: int | None = None
    failing_status: int = 500
    failing_response: str = ""
    request_log: str | None = None
    image_files: Mapping[str, str] = field(default_factory=dict)
    data_app: DataApp | None = None


@dataclass(frozen=True)
class HttpAnswer:
    """One HTTP response, with the access-log line the process prints for it (if any)."""

    status: int
    body: str
    log: str | None = None


def http_answer(
    http: HttpSpec | None,
    request_number: int,
    *,
    hostname: str,
    pod_ip: str,
    path: str = "/",
    method: str = "GET",
    client_ip: str = "10.244.0.1",
    now_ms: int = 0,
    read_file: Callable[[str], str | None] | None = None,
    request_body: str = "",
    write_file: WriteFile | None = None,
    peers: Peers | None = None,
) -> HttpAnswer | None:
    """The answer to the ``request_number``-th request (1-based) the process receives.

    ``read_file`` is the container's view of its filesystem (volumes mounted over the image);
    when it has no such file the image's baked-in copy is used, and when neither exists the
    answer is a 404. ``request_body``, ``write_file`` and ``peers`` serve a program that keeps data
    (:mod:`~k8stui.engine.runtime.data_answers`). Returns None for a process that does not
    speak HTTP.
    """
    if http is None:
        return None
    values = {
        "hostname": hostname,
        "pod_ip": pod_ip,
        "path": path,
        "method": method,
        "client_ip": client_ip,
        "date": unix_date(now_ms),
    }
    if http.failing_after_requests is not None and request_number > http.failing_after_requests:
        status, body = http.failing_status, render_template(http.failing_response, values)
    elif http.data_app is not None:
        status = 200
        body = data_answer(
            http.data_app,
            hostname=hostname,
            method=method,
            path=path,
            body=request_body,
            read_file=read_file,
            write_file=write_file,
            peers=peers,
        )
    elif http.serve_file is not None:
        target = http.serve_file if path in ("/", "") else _join_doc(http.serve_file, path)
        content = read_file(target) if read_file else None
        if content is None:
            content = http.image_files.get(target)
        if content is None:
            status, body = 404, _NOT_FOUND_PAGE
        else:
            status, body = 200, content
    else:
        status, body = http.status, render_template(http.response or "", values)
    log = None
    if http.request_log:
        values.update(status=str(status), bytes=str(len(body.encode())))
        log = render_template(http.request_log, values)
    return HttpAnswer(status=status, body=body, log=log)


def _join_doc(index_path: str, request_path: str) -> str:
    root = index_path.rsplit("/", 1)[0]
    return root + "/" + request_path.lstrip("/")
