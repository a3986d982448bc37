"""The answers of a program that keeps one piece of data in a file: the book's ``kubia-pet``.

*Kubernetes in Action*'s StatefulSet chapter runs a Node.js app that stores the body of a
``POST`` in a file on its volume and reports that file on a ``GET``. Its ``-peers`` variant
answers a ``GET`` with what every peer holds: it looks up the SRV records of the governing
headless Service and asks each peer for ``/data`` (its bare file), listing them in the order
the answers arrive (here: the records' order, so every run is the same).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

NO_DATA = "No data posted yet"

ReadFile = Callable[[str], str | None]
WriteFile = Callable[[str, str], None]
Peers = Callable[[str], list[tuple[str, str]] | None]
"""SRV name -> (peer's DNS name, the body of its ``/data``) per record; None: lookup failed."""


@dataclass(frozen=True)
class DataApp:
    """Where the program keeps its data and, for the peers variant, whom it asks."""

    data_file: str
    peers_service: str | None = None


def data_answer(
    app: DataApp,
    *,
    hostname: str,
    method: str,
    path: str,
    body: str,
    read_file: ReadFile | None,
    write_file: WriteFile | None,
    peers: Peers | None,
) -> str:
    """The body the program answers (always with status 200, as the book's app does)."""
    if method == "POST":
        if write_file is not None:
            # The app pipes the request into a fresh write stream: the body replaces the file.
            write_file(app.data_file, body)
        return f"Data stored on pod {hostname}\n"
    stored = read_file(app.data_file) if read_file is not None else None
    data = stored if stored is not None else NO_DATA
    if app.peers_service is None:
        return f"You've hit {hostname}\nData stored on this pod: {data}\n"
    if path == "/data":
        return data
    head = f"You've hit {hostname}\nData stored in the cluster:\n"
    found = peers(app.peers_service) if peers is not None else None
    if found is None:
        return (
            head
            + "Could not look up DNS SRV records: Error: querySrv ENOTFOUND "
            + (app.peers_service)
        )
    if not found:
        return head + "No peers discovered."
    return head + "".join(f"- {name}: {answer}\n" for name, answer in found)
