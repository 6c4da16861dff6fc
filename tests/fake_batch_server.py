"""A SYNTHETIC OpenAI-compatible batch API (``/v1/files``, ``/v1/batches``) on loopback.

Not a model: each answer is the regex cut-out of ``tests/fake_openai_server.py``
(:func:`~tests.fake_openai_server.synthetic_answer`), built into the same
chat-completion body that server sends. It exercises the machinery around a
batch API: upload, job states, output and error files, expiry, failed lines.

* ``POST /v1/files`` (multipart, ``purpose=batch``), ``GET /v1/files/{id}/content``;
* ``POST /v1/batches``, ``GET /v1/batches/{id}``, ``POST /v1/batches/{id}/cancel``;
* a job is ``in_progress`` until ``complete_after_s`` has passed, then
  ``completed`` with an output file (and an error file for failed lines);
* ``expire_after_lines=N``: the next job to finish ends ``expired`` after its
  first N lines; the rest go to the error file as ``batch_expired``, as
  OpenAI reports them (only that one job; later jobs complete);
* ``line_script(custom_id, attempt) -> "ok" | "fail" | "invalid"``: per line,
  an HTTP 500 line in the error file, or a 200 answer that does not validate;
* ``POST /v1/chat/completions`` answers live with the same synthetic answer, as a
  provider's one endpoint serves both (``chat_requests`` counts those calls).
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from tests.fake_openai_server import _article_message, _max_claims, synthetic_answer
from tests.fake_openai_server import _Handler as _ChatHandler

LineOutcome = Literal["ok", "fail", "invalid"]
LineScript = Callable[[str, int], LineOutcome]


def always_ok(custom_id: str, attempt: int) -> LineOutcome:
    return "ok"


def answer_line(line: dict[str, Any], outcome: LineOutcome = "ok") -> dict[str, Any]:
    """The output line for one request line: the synthetic answer, a failure, or bad output.

    Also what a test uses to play vLLM's ``run_batch`` on a request file.
    """
    custom_id = line["custom_id"]
    body = line["body"]
    if outcome == "fail":
        return {
            "id": f"batch_req_{custom_id[:12]}",
            "custom_id": custom_id,
            "response": {
                "status_code": 500,
                "request_id": "req_synthetic",
                "body": {"error": {"message": "synthetic fault: HTTP 500"}},
            },
            "error": None,
        }
    answer = synthetic_answer(_article_message(body), _max_claims(body))
    content = json.dumps(answer)
    if outcome == "invalid":
        content = json.dumps({"claims": [{"quote": "a claim with no speaker"}]})
    # The chat server's own completion builder (a method that uses no instance state).
    completion = _ChatHandler._completion(None, body, content, "stop")  # type: ignore[arg-type]
    return {
        "id": f"batch_req_{custom_id[:12]}",
        "custom_id": custom_id,
        "response": {"status_code": 200, "request_id": "req_synthetic", "body": completion},
        "error": None,
    }


@dataclass
class Job:
    id: str
    input_file_id: str
    created: float
    status: str = "in_progress"
    output_file_id: str | None = None
    error_file_id: str | None = None
    counts: dict[str, int] = field(default_factory=lambda: {"completed": 0, "failed": 0})
    total: int = 0


@dataclass
class BatchServerState:
    complete_after_s: float
    line_script: LineScript
    expire_after_lines: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    files: dict[str, bytes] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    attempts: dict[str, int] = field(default_factory=dict)
    #: request lines received, in upload order
    lines_received: int = 0
    chat_requests: int = 0
    #: the Authorization headers seen (which key arrived; never printed)
    authorizations: set[str] = field(default_factory=set)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        state = self.server.state
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts[:2] == ["v1", "files"] and len(parts) == 4 and parts[3] == "content":
            data = state.files.get(parts[2])
            if data is None:
                self._json(404, {"error": {"message": "no such file"}})
            else:
                self._raw(200, data, "application/octet-stream")
            return
        if parts[:2] == ["v1", "batches"] and len(parts) == 3:
            job = state.jobs.get(parts[2])
            if job is None:
                self._json(404, {"error": {"message": "no such batch"}})
                return
            self._advance(job)
            self._json(200, self._batch(job))
            return
        self._json(404, {"error": {"message": f"synthetic batch server: no route {self.path}"}})

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        state = self.server.state
        length = int(self.headers.get("content-length", 0))
        data = self.rfile.read(length)
        parts = self.path.split("?")[0].strip("/").split("/")
        with state.lock:
            state.authorizations.add(self.headers.get("authorization", ""))
        if parts == ["v1", "files"]:
            content = self._multipart_file(data)
            with state.lock:
                file_id = f"file-{len(state.files) + 1}"
                state.files[file_id] = content
                state.lines_received += sum(1 for x in content.splitlines() if x.strip())
            self._json(
                200,
                {
                    "id": file_id,
                    "object": "file",
                    "bytes": len(content),
                    "created_at": int(time.time()),
                    "filename": "requests.jsonl",
                    "purpose": "batch",
                    "status": "processed",
                },
            )
            return
        if parts == ["v1", "batches"]:
            body = json.loads(data)
            with state.lock:
                job = Job(f"batch_{len(state.jobs) + 1}", body["input_file_id"], time.monotonic())
                job.total = len([x for x in state.files[job.input_file_id].splitlines() if x])
                state.jobs[job.id] = job
            self._json(200, self._batch(job))
            return
        if parts[:2] == ["v1", "batches"] and len(parts) == 4 and parts[3] == "cancel":
            job = state.jobs[parts[2]]
            job.status = "cancelled"
            self._json(200, self._batch(job))
            return
        if self.path.endswith("/chat/completions"):
            with state.lock:
                state.chat_requests += 1
            line = answer_line({"custom_id": "live", "body": json.loads(data)})
            self._json(200, line["response"]["body"])
            return
        self._json(404, {"error": {"message": f"synthetic batch server: no route {self.path}"}})

    def _advance(self, job: Job) -> None:
        """Finish a job whose time has come: run its lines, write output and error files."""
        state = self.server.state
        with state.lock:
            if job.status != "in_progress":
                return
            if time.monotonic() - job.created < state.complete_after_s:
                return
            expire_at = state.expire_after_lines
            state.expire_after_lines = None  # one expiry per setting
            outputs: list[str] = []
            errors: list[str] = []
            lines = [json.loads(x) for x in state.files[job.input_file_id].splitlines() if x]
            for i, line in enumerate(lines):
                custom_id = line["custom_id"]
                if expire_at is not None and i >= expire_at:
                    errors.append(
                        json.dumps(
                            {
                                "id": f"batch_req_{i}",
                                "custom_id": custom_id,
                                "response": None,
                                "error": {
                                    "code": "batch_expired",
                                    "message": "This request could not be executed before the"
                                    " completion window expired.",
                                },
                            }
                        )
                    )
                    continue
                attempt = state.attempts[custom_id] = state.attempts.get(custom_id, 0) + 1
                outcome = state.line_script(custom_id, attempt)
                out = answer_line(line, outcome)
                (errors if outcome == "fail" else outputs).append(json.dumps(out))
            job.counts = {"completed": len(outputs), "failed": len(errors)}
            if outputs:
                job.output_file_id = f"file-out-{job.id}"
                state.files[job.output_file_id] = ("\n".join(outputs) + "\n").encode()
            if errors:
                job.error_file_id = f"file-err-{job.id}"
                state.files[job.error_file_id] = ("\n".join(errors) + "\n").encode()
            job.status = "expired" if expire_at is not None else "completed"

    def _batch(self, job: Job) -> dict[str, Any]:
        return {
            "id": job.id,
            "object": "batch",
            "endpoint": "/v1/chat/completions",
            "input_file_id": job.input_file_id,
            "completion_window": "24h",
            "status": job.status,
            "created_at": int(time.time()),
            "output_file_id": job.output_file_id,
            "error_file_id": job.error_file_id,
            "request_counts": {**job.counts, "total": job.total},
        }

    def _multipart_file(self, data: bytes) -> bytes:
        header = f"Content-Type: {self.headers['content-type']}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.default).parsebytes(header + data)
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") == "file":
                payload = part.get_payload(decode=True)
                return payload if isinstance(payload, bytes) else b""
        return b""

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        self._raw(status, json.dumps(payload).encode(), "application/json")

    def _raw(self, status: int, raw: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # a server brought back on the port of a stopped one
    state: BatchServerState


class FakeBatchServer:
    """The SYNTHETIC batch server in a background thread; use as a context manager."""

    def __init__(
        self,
        *,
        complete_after_s: float = 0.2,
        line_script: LineScript = always_ok,
        expire_after_lines: int | None = None,
        port: int = 0,
    ) -> None:
        # ``port``: a fixed one, to bring an endpoint back where a stopped one was
        self._httpd = _Server(("127.0.0.1", port), _Handler)
        self._httpd.state = BatchServerState(
            complete_after_s=complete_after_s,
            line_script=line_script,
            expire_after_lines=expire_after_lines,
        )
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def state(self) -> BatchServerState:
        return self._httpd.state

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeBatchServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
