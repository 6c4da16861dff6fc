"""A SYNTHETIC OpenAI-compatible chat-completions server, for fault tests and the benchmark.

This is not a model and its answers are not model output. Every "claim" it
returns is cut out of the request by a regular expression over the synthetic
articles below (``<Name> said: "<quote>"``), so the answers are only good for
exercising the machinery around the model: concurrency, retries, caching,
resume, chunking, throughput. It must never stand in for real model output in
an extraction-quality test (those replay recordings of a real model, see
``tests/cassettes/``).

What it does:

* serves ``POST /v1/chat/completions`` on 127.0.0.1 with an ephemeral port,
  HTTP/1.1 keep-alive, in a background thread (or as a process: ``python
  tests/fake_openai_server.py --latency 0.2``, which prints its base URL);
* answers after a fixed ``latency_s`` (the benchmark's 200 ms);
* answers with :func:`synthetic_answer` (an extraction prompt's ``claims``), or,
  for another answer schema, with what an ``answer`` callable returns for the
  request (a test's SCRIPTED answer: still not model output);
* injects faults per request, chosen by a script: a callable receiving the
  request (:class:`Request`) and returning a :class:`Fault`, or by default a
  directive written in the synthetic article itself,
  ``[[synthetic-fault kind=status status=429 retry_after=0.8 times=1]]``
  (the first ``times`` attempts of that article get the fault, later ones
  succeed, so "fails, then succeeds after a retry" is one line of text);
* stops by itself: after ``max_requests`` requests or ``max_seconds`` seconds,
  whichever comes first, so a test that forgets it cannot hang the suite;
* answers a numbered request (``ask: numbered``: the answer schema fixes one
  entry per ``[n]`` line) in that format, each entry with the claims the
  grammar finds in its line;
* with ``models``/``props``, describes the model it serves at ``GET /v1/models``
  and ``GET /props`` as a server does (a test may make it stand in for the
  recorded local server; its answers stay synthetic);
* answers ``GET /synthetic/stats`` with the requests seen and the peak in flight
  (``?reset`` starts the peak afresh), for a benchmark that runs it as a process;
* with ``slots=N``, answers ``GET /props`` as llama-server does, with
  ``total_slots`` (and ``"synthetic": true``); without, it has no ``/props``;
  and then adds llama-server's ``timings`` object to each completion
  (``prompt_n``, ``cache_n``, ``prompt_ms``, ``predicted_n``, ``predicted_ms``
  and their ``*_per_second``): the latency split evenly between prompt and
  generation, ``cache_n`` the prefix shared with the previous request (about 4
  characters a token), 0 when the body says ``"cache_prompt": false``.

Fault kinds: ``status`` (HTTP error, optional ``Retry-After``), ``timeout``
(answers after ``delay_s``, longer than the client's timeout), ``reset`` (closes
the TCP connection with RST, no answer), ``bad_body`` (HTTP 200 with a
truncated JSON body), ``bad_content`` (a well-formed completion whose message
is truncated JSON), ``length`` (``finish_reason="length"``: the answer was cut
at the token limit).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

FaultKind = Literal["ok", "status", "timeout", "reset", "bad_body", "bad_content", "length"]

# The synthetic article grammar the server "understands".
_SAID = re.compile(r"(?P<speaker>[A-Z][a-z]+(?: [A-Z][a-z]+)+) said: \"(?P<quote>[^\"]+)\"")
_DIRECTIVE = re.compile(r"\[\[synthetic-fault (?P<args>[^\]]*)\]\]")


@dataclass(frozen=True)
class Fault:
    """What to do with one request. ``times``: how many attempts of an article get it."""

    kind: FaultKind = "ok"
    status: int = 500
    retry_after: str | None = None
    delay_s: float = 2.0
    times: int = 1_000_000


OK = Fault("ok")


@dataclass(frozen=True)
class Request:
    """One chat-completions request as the script sees it."""

    index: int  # 1-based, over the server's lifetime
    key: str  # hash of the last user message: the same article (or chunk) asked again
    attempt: int  # 1-based count of requests with this key
    text: str  # the last user message
    body: dict[str, Any]


Script = Callable[[Request], Fault]
#: a scripted answer (the message content, as JSON) for a request
Answerer = Callable[[Request], dict[str, Any]]


def directive_script(request: Request) -> Fault:
    """The default script: obey a ``[[synthetic-fault ...]]`` directive in the article."""
    match = _DIRECTIVE.search(request.text)
    if match is None:
        return OK
    args = dict(pair.split("=", 1) for pair in match["args"].split())
    fault = Fault(
        kind=args.get("kind", "status"),  # type: ignore[arg-type]
        status=int(args.get("status", 500)),
        retry_after=args.get("retry_after"),
        delay_s=float(args.get("delay_s", 2.0)),
        times=int(args.get("times", 1_000_000)),
    )
    return fault if request.attempt <= fault.times else OK


_SYLLABLES = ("ka", "lo", "mi", "ra", "ne", "to", "su", "vi", "de", "po")
_SYLLABLES += ("ba", "ri", "zu", "fe", "go", "la", "mo", "ni", "sa", "te")


def synthetic_word(n: int, syllables: int = 3) -> str:
    """A made-up capitalised word, one for each ``n`` below 20 ** ``syllables``."""
    out = ""
    for _ in range(syllables):
        out += _SYLLABLES[n % len(_SYLLABLES)]
        n //= len(_SYLLABLES)
    return out.capitalize()


def synthetic_name(n: int) -> str:
    """A made-up two-word name, different for every ``n`` (below 64 million)."""
    return f"{synthetic_word(n % 8000)} {synthetic_word(n // 8000)}"


def synthetic_article(
    i: int, *, paragraphs: int = 8, fault: str = "", distinct: bool = False
) -> str:
    """A made-up article of about 2,500 characters with four attributed quotes.

    Deterministic in ``i``. ``fault`` is appended as a directive, e.g.
    ``"kind=status status=500 times=2"``. By default the speakers are five famous
    names and most words repeat from article to article; ``distinct=True`` gives
    every article its own speakers, topic and districts, as a real corpus has
    (what a memory benchmark needs: caches keyed by names or text then see new keys).
    """
    names = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov"]
    topics = ["the bridge", "the budget", "the harbour", "the rail line", "the school"]
    topic = topics[i % len(topics)]
    if distinct:
        names = [synthetic_name(i * 5 + k) for k in range(5)]
        topic = f"the {synthetic_word(i, 4)} project"
    body = [f"Synthetic article {i}: a council debate about {topic}."]
    for p in range(paragraphs - 1):
        if p % 2 == 0:
            speaker = names[(i + p) % len(names)]
            quote = (
                f"Work on {topic} will finish in week {(i * 7 + p) % 52 + 1} of the plan {i}-{p}"
            )
            body.append(
                f'{speaker} said: "{quote}". The remark came during a long session in'
                f" which members reviewed costs, timetables and the views of residents."
            )
        else:
            district = synthetic_word(i * 31 + p, 4) if distinct else str(p)
            body.append(
                f"Residents of district {district} listened as officials read figures about"
                f" {topic} for almost an hour, and several asked for the minutes to be"
                " published. The meeting then moved on to routine items of the agenda for"
                " the evening."
            )
    if fault:
        body.append(f"[[synthetic-fault {fault}]]")
    return "\n\n".join(body) + "\n"


#: in an article, makes the answer add a claim whose quote is not in the article
UNGROUNDED = "[[synthetic-ungrounded]]"


def synthetic_answer(text: str, max_claims: int) -> dict[str, Any]:
    """The claims a perfect reader of the synthetic grammar would report (and, for an
    article carrying :data:`UNGROUNDED`, one more it made up: its quote is nowhere)."""
    claims = [
        {
            "quote": m["quote"],
            "speaker": m["speaker"],
            "speaker_role": None,
            "stance": "supports",
            "claim": m["quote"] + ".",
        }
        for m in _SAID.finditer(text)
    ]
    if UNGROUNDED in text:
        invented = "Zebras will run the council by next spring"
        claims.append(
            {
                "quote": invented,
                "speaker": "Ada Lovelace",
                "speaker_role": None,
                "stance": "supports",
                "claim": invented + ".",
            }
        )
    return {"claims": claims[:max_claims]}


# instructor's re-ask turns (JSON and TOOLS modes): not the article, but about it
_REASK = re.compile(r"^(Correct your JSON|Validation Error found|Recall the function)")


def _article_message(body: dict[str, Any]) -> str:
    """The last user message that is not an instructor re-ask: the article (or chunk)."""
    for message in reversed(body.get("messages", [])):
        content = message.get("content") or ""
        if message.get("role") == "user" and not _REASK.match(content):
            return str(content)
    return ""


_NUMBERED = re.compile(r"^\[(\d+)\] (.*)$", re.MULTILINE)


def _numbered_openings(body: dict[str, Any]) -> list[str] | None:
    """The fixed openings of a numbered answer's entries (``ask: numbered``), or None."""
    try:
        schema = body["response_format"]["json_schema"]["schema"]
        items = schema["properties"]["sentences"]["prefixItems"]
        defs = schema.get("$defs", {})
        refs = [defs[item["$ref"].rsplit("/", 1)[1]] for item in items]
        return [str(d["properties"]["sentence"]["const"]) for d in refs]
    except (KeyError, TypeError, AttributeError, IndexError):
        return None


def synthetic_numbered_answer(text: str, openings: list[str], max_claims: int) -> dict[str, Any]:
    """The numbered format: one entry per numbered line, each with the claims the synthetic
    grammar finds in that line (speaker, claim; no quote: the evidence is read by claimx)."""
    lines = {int(m.group(1)): m.group(2) for m in _NUMBERED.finditer(text)}
    entries = []
    for n, head in enumerate(openings, 1):
        said = _SAID.finditer(lines.get(n, ""))
        claims = [
            {"speaker": m["speaker"], "stance": "supports", "claim": m["quote"] + "."} for m in said
        ]
        entries.append({"sentence": head, "claims": claims[:max_claims]})
    return {"sentences": entries}


def _max_claims(body: dict[str, Any]) -> int:
    try:
        schema = body["response_format"]["json_schema"]["schema"]
        return int(schema["properties"]["claims"].get("maxItems", 100))
    except (KeyError, TypeError, AttributeError):
        return 100


@dataclass
class ServerState:
    script: Script
    latency_s: float
    max_requests: int
    deadline: float
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    #: the same, counting only requests answered without a fault (a client that gave up
    #: on a timeout fault has moved on, though the server still holds its request)
    answering: int = 0
    max_answering: int = 0
    attempts: dict[str, int] = field(default_factory=dict)
    #: (key, fault kind) per request, in arrival order
    log: list[tuple[str, str]] = field(default_factory=list)
    #: monotonic arrival time of each request, per key
    times: dict[str, list[float]] = field(default_factory=dict)
    #: what GET /props reports as total_slots (None: no /props, as other servers)
    slots: int | None = None
    #: the previous request's prompt, for the synthetic prompt cache of ``timings``
    last_prompt: str = ""
    #: what ``GET /v1/models`` lists and ``GET /props`` adds: how a server describes
    #: the model it serves (a test may have it describe itself as a recorded server)
    models: list[dict[str, Any]] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)
    #: answers another schema than the extraction one (None: synthetic_answer)
    answerer: Answerer | None = None
    #: the Authorization headers seen (to check which key arrived, never printed)
    authorizations: set[str] = field(default_factory=set)
    #: (model, temperature, seed, max_tokens, mode) of each chat request: what arrived
    parameters: list[dict[str, Any]] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass  # quiet: the tests read the state, not a log

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        state = self.server.state
        if self.path.startswith("/synthetic/stats"):
            # for a benchmark that runs the server as a process: what it saw; "?reset"
            # starts the peak of requests in flight afresh (one figure per run)
            with state.lock:
                stats = {
                    "requests": state.requests,
                    "max_in_flight": state.max_in_flight,
                    "max_answering": state.max_answering,
                }
                if "reset" in self.path:
                    state.max_in_flight = state.in_flight
                    state.max_answering = state.answering
            self._send(200, stats)
            return
        path = self.path.rstrip("/")
        if path == "/props" and (state.slots is not None or state.props):
            props: dict[str, Any] = {"synthetic": True, **state.props}
            if state.slots is not None:
                props["total_slots"] = state.slots
            self._send(200, props)
            return
        if path == "/v1/models" and state.models:
            self._send(200, {"object": "list", "data": state.models})
            return
        self._send(404, {"error": {"message": f"synthetic server: no route {self.path}"}})

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        state = self.server.state
        with state.lock:
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            self._answer(state)
        finally:
            with state.lock:
                state.in_flight -= 1

    def _answer(self, state: ServerState) -> None:
        length = int(self.headers.get("content-length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        if not self.path.endswith("/chat/completions"):
            self._send(404, {"error": {"message": f"synthetic server: no route {self.path}"}})
            return
        text = _article_message(body)
        key = hashlib.sha256(text.encode()).hexdigest()[:16]
        with state.lock:
            state.authorizations.add(self.headers.get("authorization", ""))
            state.parameters.append(
                {
                    "model": body.get("model"),
                    "temperature": body.get("temperature"),
                    "seed": body.get("seed"),
                    "max_tokens": body.get("max_tokens"),
                    "tools": bool(body.get("tools")),
                    "response_format": (body.get("response_format") or {}).get("type"),
                }
            )
            state.requests += 1
            index = state.requests
            attempt = state.attempts[key] = state.attempts.get(key, 0) + 1
            state.times.setdefault(key, []).append(time.monotonic())
        if index > state.max_requests:
            state.stopping.set()
            self._send(503, {"error": {"message": "synthetic server: request cap reached"}})
            return
        request = Request(index, key, attempt, text, body)
        fault = state.script(request)
        with state.lock:
            state.log.append((key, fault.kind))
        if fault.kind == "ok":
            with state.lock:
                state.answering += 1
                state.max_answering = max(state.max_answering, state.answering)
            try:
                self._reply(state, request, fault)
            finally:
                with state.lock:
                    state.answering -= 1
            return
        self._reply(state, request, fault)

    def _reply(self, state: ServerState, request: Request, fault: Fault) -> None:
        body, text = request.body, request.text
        if fault.kind == "reset":
            self._reset()
            return
        delay = fault.delay_s if fault.kind == "timeout" else state.latency_s
        if delay and state.stopping.wait(delay):
            return  # shutting down: drop the request
        if fault.kind == "status":
            headers = {"retry-after": fault.retry_after} if fault.retry_after else {}
            message = f"synthetic fault: HTTP {fault.status}"
            self._send(fault.status, {"error": {"message": message}}, headers)
            return
        openings = _numbered_openings(body)
        if state.answerer is not None:
            answer = state.answerer(request)
        elif openings is None:
            answer = synthetic_answer(text, _max_claims(body))
        else:
            answer = synthetic_numbered_answer(text, openings, 3)
        content = json.dumps(answer)
        finish = "stop"
        if fault.kind == "bad_content":
            content = content[: max(1, len(content) // 2)]
        if fault.kind == "length":
            content, finish = content[: max(1, len(content) // 2)], "length"
        completion = self._completion(body, content, finish)
        if state.slots is not None:
            completion["timings"] = self._timings(state, body, completion["usage"])
        if fault.kind == "bad_body":
            raw = json.dumps(completion).encode()
            self._send_raw(200, raw[: len(raw) // 2])
            return
        self._send(200, completion)

    def _completion(self, body: dict[str, Any], content: str, finish: str) -> dict[str, Any]:
        prompt_chars = sum(len(m.get("content") or "") for m in body.get("messages", []))
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if body.get("tools"):  # instructor's TOOLS mode
            name = body["tools"][0]["function"]["name"]
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_synthetic",
                        "type": "function",
                        "function": {"name": name, "arguments": content},
                    }
                ],
            }
        return {
            "id": "chatcmpl-synthetic",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "synthetic"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {
                "prompt_tokens": prompt_chars // 4,
                "completion_tokens": len(content) // 4,
                "total_tokens": prompt_chars // 4 + len(content) // 4,
            },
        }

    def _timings(
        self, state: ServerState, body: dict[str, Any], usage: dict[str, int]
    ) -> dict[str, float]:
        # llama-server's field names; the numbers are made up from the fixed latency.
        prompt = "".join(m.get("content") or "" for m in body.get("messages", []))
        with state.lock:
            shared = len(os.path.commonprefix([prompt, state.last_prompt]))
            state.last_prompt = prompt
        cached = 0 if body.get("cache_prompt") is False else shared // 4
        prompt_n = max(0, usage["prompt_tokens"] - cached)
        predicted_n = usage["completion_tokens"]
        half_ms = state.latency_s * 1000 / 2
        return {
            "cache_n": cached,
            "prompt_n": prompt_n,
            "prompt_ms": half_ms,
            "prompt_per_second": prompt_n / half_ms * 1000 if half_ms else 0.0,
            "predicted_n": predicted_n,
            "predicted_ms": half_ms,
            "predicted_per_second": predicted_n / half_ms * 1000 if half_ms else 0.0,
        }

    def _send(
        self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        self._send_raw(status, json.dumps(payload).encode(), headers)

    def _send_raw(self, status: int, raw: bytes, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(raw)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw)
        except OSError:
            self.close_connection = True  # the client gave up (timeout): nothing to do

    def _reset(self) -> None:
        # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default (5) drops connections at concurrency 64
    state: ServerState

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # resets and client timeouts end handlers with socket errors, on purpose


class FakeOpenAIServer:
    """The SYNTHETIC server in a background thread; use as a context manager.

    >>> with FakeOpenAIServer(latency_s=0.05) as server:  # doctest: +SKIP
    ...     client = openai.OpenAI(base_url=server.base_url, api_key="x")
    """

    def __init__(
        self,
        script: Script = directive_script,
        *,
        latency_s: float = 0.0,
        max_requests: int = 2_000,
        max_seconds: float = 120.0,
        slots: int | None = None,
        models: list[dict[str, Any]] | None = None,
        props: dict[str, Any] | None = None,
        answer: Answerer | None = None,
        port: int = 0,
    ) -> None:
        # ``port``: a fixed one, to bring an endpoint back where a stopped one was
        self._httpd = _Server(("127.0.0.1", port), _Handler)
        self._httpd.state = ServerState(
            script=script,
            latency_s=latency_s,
            max_requests=max_requests,
            deadline=time.monotonic() + max_seconds,
            slots=slots,
            models=list(models or []),
            props=dict(props or {}),
            answerer=answer,
        )
        self._thread = threading.Thread(target=self._serve, name="synthetic-openai", daemon=True)
        self._watchdog = threading.Thread(
            target=self._watch, name="synthetic-watchdog", daemon=True
        )

    @property
    def state(self) -> ServerState:
        return self._httpd.state

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def requests(self) -> int:
        return self.state.requests

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        self._watchdog.start()
        return self

    def stop(self) -> None:
        self.state.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def _serve(self) -> None:
        self._httpd.serve_forever(poll_interval=0.05)

    def _watch(self) -> None:
        # The hard caps: stop after max_seconds, or soon after max_requests.
        state = self.state
        remaining = state.deadline - time.monotonic()
        state.stopping.wait(max(0.0, remaining))
        self._httpd.shutdown()

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    """Run the synthetic server as a process; prints ``{"base_url": ...}`` then serves."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--max-seconds", type=float, default=900.0)
    parser.add_argument("--slots", type=int, default=None, help="answer /props (and timings)")
    args = parser.parse_args(argv)
    server = FakeOpenAIServer(
        latency_s=args.latency,
        max_requests=args.max_requests,
        max_seconds=args.max_seconds,
        slots=args.slots,
    ).start()
    print(json.dumps({"base_url": server.base_url}), flush=True)
    try:
        server._thread.join()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    sys.exit(0)


if __name__ == "__main__":
    main()
