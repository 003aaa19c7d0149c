"""A stand-in for the comment APIs of GitLab (merge-request notes) and GitHub (issue
comments), paged as each service pages them, for the CI templates' own shell, curl and jq
(tests/project/test_ci_notes.py). The real services cannot run here: this is the one
stand-in of the tests, and it answers only what the templates ask.

GitLab: `per_page` (20 unless asked, 100 at most), `page`, `sort` (newest first unless
asked) and `order_by`; `X-Page`, `X-Per-Page`, `X-Next-Page` (empty on the last page),
`X-Prev-Page`, and `X-Total` / `X-Total-Pages` (left out past 10,000 notes, as GitLab
does). GitHub: oldest first, `per_page` (30 unless asked, 100 at most), `page`, and a
`Link` header with `next` and `last` while more pages follow.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "t0ken"
ME = 42  # GitLab: the token's user id
BOT = "github-actions[bot]"  # GitHub: who the workflow's token posts as
GITLAB_NOTES = "/api/v4/projects/1/merge_requests/7/notes"
GITHUB_ISSUE = "/repos/o/r/issues"
GITHUB_COMMENTS = f"{GITHUB_ISSUE}/7/comments"
WRITES = {  # a new note is posted to the list; one is changed at the list's path and its id
    ("gitlab", "POST"): GITLAB_NOTES,
    ("gitlab", "PUT"): f"{GITLAB_NOTES}/",
    ("github", "POST"): GITHUB_COMMENTS,
    ("github", "PATCH"): f"{GITHUB_ISSUE}/comments/",
}


@dataclass
class Note:
    id: int
    author: str  # GitLab: the user id, as text; GitHub: the login
    body: str
    updated: int = 0  # when it was last written, for GitLab's order_by=updated_at


@dataclass
class Thread:
    """One merge request's notes or pull request's comments, and what the job asked."""

    service: str  # "gitlab" or "github"
    notes: list[Note]
    failing_page: int = 0  # this page answers 500
    reads: list[int] = field(default_factory=list)  # the pages asked for, in order
    writes: list[tuple[str, int, str]] = field(default_factory=list)  # method, note id, body
    lock: threading.Lock = field(default_factory=threading.Lock)

    def page(self, query: dict[str, str]) -> tuple[int, list[dict[str, Any]], dict[str, str]]:
        gitlab = self.service == "gitlab"
        size = min(int(query.get("per_page", 20 if gitlab else 30)), 100)
        number = max(int(query.get("page", 1)), 1)
        self.reads.append(number)
        if number == self.failing_page:
            return 500, [], {}
        notes = sorted(self.notes, key=self._order(query) if gitlab else _by_id)
        if gitlab and query.get("sort", "desc") == "desc":
            notes.reverse()
        shown = notes[(number - 1) * size : number * size]
        pages = max(-(-len(notes) // size), 1)
        more = number < pages
        rows = [self._json(note) for note in shown]
        return 200, rows, (_gitlab if gitlab else _github)(number, size, pages, more, notes)

    def write(self, method: str, path: str, body: str) -> tuple[int, dict[str, Any]]:
        clock = 1 + max((note.updated for note in self.notes), default=0)
        if method == "POST":
            author = str(ME) if self.service == "gitlab" else BOT
            last = max((n.id for n in self.notes), default=0)
            self.notes.append(Note(last + 1, author, body, clock))
        wanted = self.notes[-1].id if method == "POST" else int(path.rsplit("/", 1)[1])
        note = next((n for n in self.notes if n.id == wanted), None)
        if note is None:
            return 404, {"message": "404 Not found"}
        note.body, note.updated = body, clock
        self.writes.append((method, note.id, body))
        return 201 if method == "POST" else 200, self._json(note)

    def _order(self, query: dict[str, str]) -> Any:
        return (lambda n: (n.updated, n.id)) if query.get("order_by") == "updated_at" else _by_id

    def _json(self, note: Note) -> dict[str, Any]:
        if self.service == "gitlab":
            return {"id": note.id, "author": {"id": int(note.author)}, "body": note.body}
        return {"id": note.id, "user": {"login": note.author}, "body": note.body}


def _by_id(note: Note) -> int:
    return note.id


def _gitlab(number: int, size: int, pages: int, more: bool, notes: list[Note]) -> dict[str, str]:
    headers = {
        "X-Page": str(number),
        "X-Per-Page": str(size),
        "X-Next-Page": str(number + 1) if more else "",
        "X-Prev-Page": str(number - 1) if number > 1 else "",
    }
    if len(notes) <= 10_000:
        headers |= {"X-Total": str(len(notes)), "X-Total-Pages": str(pages)}
    return headers


def _github(number: int, size: int, pages: int, more: bool, notes: list[Note]) -> dict[str, str]:
    url = f"https://api.github.test{GITHUB_COMMENTS}?per_page={size}&page="
    links = [f'<{url}{number + 1}>; rel="next"', f'<{url}{pages}>; rel="last"'] if more else []
    if number > 1:
        links += [f'<{url}{number - 1}>; rel="prev"', f'<{url}1>; rel="first"']
    return {"Link": ", ".join(links)} if links else {}


def _handler(thread: Thread) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if not self._allowed():
                return
            if thread.service == "gitlab" and url.path == "/api/v4/user":
                self._send(200, {"id": ME, "username": "ldifctl-bot"})
                return
            if url.path != (GITLAB_NOTES if thread.service == "gitlab" else GITHUB_COMMENTS):
                self._send(404, {"message": "Not Found"})
                return
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            with thread.lock:
                status, rows, headers = thread.page(query)
            self._send(status, rows, headers)

        def do_POST(self) -> None:  # and PUT, PATCH
            path = urlsplit(self.path).path
            where = WRITES.get((thread.service, self.command), "\0")
            known = path == where if self.command == "POST" else (
                path.startswith(where) and path.removeprefix(where).isdigit()
            )
            if not self._allowed():
                return
            if not known:
                self._send(404, {"message": "Not Found"})
                return
            sent = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            if thread.service == "gitlab":
                body = parse_qs(sent, keep_blank_values=True)["body"][0]
            else:
                body = json.loads(sent)["body"]
            with thread.lock:
                status, answer = thread.write(self.command, path, body)
            self._send(status, answer)

        do_PUT = do_PATCH = do_POST

        def _allowed(self) -> bool:
            if thread.service == "gitlab":
                given = self.headers.get("PRIVATE-TOKEN")
            else:
                given = self.headers.get("Authorization", "").removeprefix("Bearer ")
            if given != TOKEN:
                self._send(401, {"message": "401 Unauthorized"})
            return given == TOKEN

        def _send(self, status: int, data: object, headers: dict[str, str] | None = None) -> None:
            payload = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the test reads what was asked from the Thread

    return Handler


@contextmanager
def serving(thread: Thread) -> Iterator[str]:
    """The API on a free port of the loopback, for as long as the block runs: its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(thread))
    worker = threading.Thread(target=server.serve_forever, daemon=True)
    worker.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        worker.join()
