"""Recording and replaying real model exchanges with vcrpy.

The tests and the offline eval replay HTTP exchanges recorded against a real
model. One configuration serves both:

* match on method, path and body (compared as JSON), never on host or headers, so a recording
  replays whatever ``base_url`` says and across machines (``x-stainless-*``
  and user-agent headers differ between environments);
* the Authorization header (and any API-key header) is filtered before
  anything is written, and response cookies are dropped;
* a request that no recording matches raises at once: while a cassette replays,
  this module registers with :func:`claimx.llm.client.register_error_translator`
  how such a miss is recognised and explained (a
  :class:`~claimx.errors.CassetteMissError` naming the cassette and the command
  that re-records it). The model layer itself knows nothing of vcrpy.

Replay is record mode ``none`` (what the tests and ``python -m claimx.eval``
use); recording (``scripts/record-cassettes.sh``) needs the real model. The
body a request sends depends on the prompt's rendered text, the answer schema
and the instructor version, so changing any of them makes replay miss; that is
why ``instructor`` and ``openai`` are pinned in ``pyproject.toml``. Where the
eval keeps its recordings, and what made them, is
:mod:`claimx.eval.recordings`. Synthetic responses exist only for fault paths
(timeouts, 429/500, malformed JSON) and are named as such
(``tests/fake_openai_server.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import vcr
from vcr.cassette import Cassette
from vcr.errors import CannotOverwriteExistingCassetteException

from claimx.errors import CassetteMissError, LLMError
from claimx.llm.client import register_error_translator

RecordMode = Literal["none", "once", "new_episodes", "all"]
MATCH_ON = ("method", "path", "json_body")
FILTERED_REQUEST_HEADERS = ("authorization", "api-key", "openai-organization", "openai-project")


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in {"set-cookie", "openai-organization"}:
            del headers[name]
    return response


@lru_cache(maxsize=1024)
def _parsed(body: bytes | str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _json_body(r1: Any, r2: Any) -> None:
    """Bodies equal as JSON (raw bytes when not JSON).

    vcrpy's own ``body`` matcher builds a unified diff for every mismatch; a
    cassette of the staged strategy holds dozens of requests, so replay spent
    most of its time diffing. Same rule, no diff; each body is parsed once
    (every request is compared with every recording of its cassette).
    """
    if r1.body == r2.body:
        return
    if r1.body and r2.body:
        parsed = _parsed(r1.body)
        if parsed is not None and parsed == _parsed(r2.body):
            return
    raise AssertionError("request bodies differ")


def make_vcr(mode: RecordMode) -> vcr.VCR:
    """The one vcrpy configuration claimx uses."""
    recorder = vcr.VCR(
        record_mode=mode,
        match_on=MATCH_ON,
        # Filtering copies every request on every comparison; a replay writes
        # nothing and never matches on headers, so it needs no filter.
        filter_headers=list(FILTERED_REQUEST_HEADERS) if mode != "none" else [],
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    )
    recorder.register_matcher("json_body", _json_body)
    return recorder


def miss_translator(path: Path, rerecord_hint: str) -> Callable[[BaseException], LLMError | None]:
    """Explains vcrpy's refusal to answer a request from the cassette at ``path``."""

    def translate(exc: BaseException) -> LLMError | None:
        if not isinstance(exc, CannotOverwriteExistingCassetteException):
            return None
        cassette = getattr(exc, "cassette", None)
        if cassette is not None and Path(cassette.path) != path:
            return None  # another cassette's miss: its own translator explains it
        return CassetteMissError(
            f"no recorded response in cassette {path} matches this request (the prompt,"
            " schema, model or parameters changed since it was recorded). Re-record with:"
            f" {rerecord_hint}",
            original=exc,
        )

    return translate


@contextmanager
def use_cassette(path: Path, mode: RecordMode, *, rerecord_hint: str) -> Iterator[Cassette]:
    """Replay (``mode="none"``) or record the HTTP exchanges made inside the block.

    Yields vcrpy's cassette (``play_counts``, ``all_played``: what a replay used).
    ``rerecord_hint`` is the whole command that records this cassette again.
    """
    if mode == "none" and not path.exists():
        raise CassetteMissError(f"no recording at {path}. Record it with: {rerecord_hint}")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Only "all" never refuses a request; every other mode may, so say what a miss means.
    unregister = (
        register_error_translator(miss_translator(path, rerecord_hint)) if mode != "all" else None
    )
    try:
        with make_vcr(mode).use_cassette(str(path), allow_playback_repeats=True) as cassette:
            yield cassette
    finally:
        if unregister is not None:
            unregister()
