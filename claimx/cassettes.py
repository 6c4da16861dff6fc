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

A replay stays vcrpy's own (the SDK's request goes through httpx into vcrpy's
stub, which answers with the recorded response), made cheap where vcrpy spends
time on work that cannot change its answer:

* :class:`IndexedCassette` finds a request's recordings through an index of
  (method, path, body as canonical JSON) instead of running every matcher
  against every recording of the cassette, and confirms them with the matchers;
* a replay records nothing, so requests are not copied for filters it does not have;
* :data:`SERIALIZER` keeps the parsed form of each cassette's YAML in the cache
  folder (keyed by the file's content): parsing the YAML took longer than
  replaying its requests.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import vcr
from vcr.cassette import Cassette
from vcr.errors import CannotOverwriteExistingCassetteException
from vcr.matchers import requests_match
from vcr.serializers import yamlserializer

from claimx.errors import CassetteMissError, LLMError
from claimx.llm.client import register_error_translator
from claimx.llm.config import default_cache_dir

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
    cassette of a pipeline with a stage one holds dozens of requests, so replay spent
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


def _canonical(value: Any) -> Any:
    """``value`` with the numbers Python compares equal written alike (``1 == 1.0 == True``)."""
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: what :class:`IndexedCassette` files a request under: the fields of :data:`MATCH_ON`
RequestKey = tuple[str, str, tuple[str, Any]]


@lru_cache(maxsize=1024)
def body_key(body: bytes | str | None) -> tuple[str, Any]:
    """A key that two bodies share whenever :func:`_json_body` finds them equal: when
    replay takes them for one request (:mod:`claimx.eval.draws` pairs recordings by it)."""
    parsed = _parsed(body) if body else None
    if parsed is None:
        return ("raw", body)
    return ("json", json.dumps(_canonical(parsed), sort_keys=True))


def _request_key(request: Any) -> RequestKey:
    # As vcrpy's matchers read them: an empty path is "/".
    return (request.method, request.path or "/", body_key(request.body))


class IndexedCassette(Cassette):  # type: ignore[misc]
    """vcrpy's cassette, looking a request's recordings up instead of comparing it with each.

    vcrpy runs every matcher against every recording, twice per request
    (``can_play_response_for``, then ``play_response``), and a staged
    pipeline's cassette holds dozens of near-identical bodies. The index maps
    :func:`_request_key` to recordings in recording order; candidates are still
    confirmed by the matchers, and a key with no candidate falls back to
    vcrpy's full scan, so the answer (the first matching recording) is vcrpy's.
    """

    def _responses(self, request: Any) -> Iterator[tuple[int, Any]]:
        request = self._before_record_request(request)
        if not request:
            return
        candidates: Iterable[int] = self._index().get(_request_key(request), ())
        if not candidates:
            candidates = range(len(self.data))
        for index in candidates:
            stored, response = self.data[index]
            if requests_match(request, stored, self._match_on):
                yield index, response

    def _index(self) -> dict[RequestKey, list[int]]:
        # Recording appends to data: index what was added since the last look.
        index: dict[RequestKey, list[int]] = self.__dict__.setdefault("_claimx_index", {})
        done: int = self.__dict__.get("_claimx_indexed", 0)
        for position in range(done, len(self.data)):
            index.setdefault(_request_key(self.data[position][0]), []).append(position)
        self._claimx_indexed = len(self.data)
        return index


class _CachedYaml:
    """vcrpy's YAML serializer, keeping each parsed cassette in the cache folder.

    Writes exactly what vcrpy writes. Reading looks the file's content up first
    (``marshal`` of what the YAML parses to: a tenth of the time); any problem
    with the cache falls back to parsing the YAML.
    """

    @staticmethod
    def serialize(cassette_dict: dict[str, Any]) -> str:
        return str(yamlserializer.serialize(cassette_dict))

    @staticmethod
    def deserialize(cassette_string: str) -> Any:
        digest = hashlib.sha256(cassette_string.encode("utf-8", "surrogatepass")).hexdigest()
        version = f"py{sys.version_info[0]}{sys.version_info[1]}"
        path = default_cache_dir() / "cassettes" / f"{digest}.{version}.marshal"
        try:
            return marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            pass
        data = yamlserializer.deserialize(cassette_string)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            partial.write_bytes(marshal.dumps(data))
            partial.replace(path)  # whole or absent, for replays running side by side
        except (OSError, ValueError):
            pass  # a read-only or full cache: parse again next time
        return data


#: the serializer of every claimx cassette
SERIALIZER = _CachedYaml()


def _unfiltered(request: Any) -> Any:
    return request


def make_vcr(mode: RecordMode) -> vcr.VCR:
    """The one vcrpy configuration claimx uses."""
    recorder = vcr.VCR(
        record_mode=mode,
        match_on=MATCH_ON,
        filter_headers=list(FILTERED_REQUEST_HEADERS),
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    )
    recorder.register_matcher("json_body", _json_body)
    recorder.register_serializer("yaml", SERIALIZER)
    return recorder


def _cassette_config(path: Path, mode: RecordMode) -> dict[str, Any]:
    """vcrpy's arguments for the cassette at ``path`` (what ``VCR.use_cassette`` passes)."""
    config: dict[str, Any] = make_vcr(mode).get_merged_config(
        path=str(path), allow_playback_repeats=True
    )
    if mode == "none":
        # vcrpy copies every request it compares so that its filters cannot change
        # the real one; a replay writes nothing and matches no header: no filter.
        config["before_record_request"] = _unfiltered
    return config


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
        with IndexedCassette.use(**_cassette_config(path, mode)) as cassette:
            yield cassette
    finally:
        if unregister is not None:
            unregister()
