"""Replay through claimx.cassettes answers what vcrpy's own cassette answers, faster."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from vcr.cassette import Cassette
from vcr.request import Request
from vcr.serializers import yamlserializer

from claimx.cassettes import SERIALIZER, IndexedCassette, _cassette_config

URL = "http://127.0.0.1:9/v1/chat/completions"


def request(body: Any, path: str = URL) -> Request:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Request("POST", path, raw, {"content-type": "application/json"})


def response(n: int) -> dict[str, Any]:
    return {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": str(n)}}


# Recordings in order; 0 and 2 are equal as JSON (key order, 1 == 1.0), 3 is not JSON.
RECORDED = [
    request({"a": 1, "b": [1.0, True]}),
    request({"a": 2}),
    request(b'{"b": [1, 1], "a": 1.0}'),
    request(b"plain text"),
    request({"a": 2}, path="http://127.0.0.1:9/v1/other"),
]
ASKED = [
    request({"b": [1, 1], "a": 1}),  # JSON-equal to 0 and 2, bytes of neither
    request(b'{"a": 2}'),
    request(b"plain text"),
    request({"a": 2}, path="http://127.0.0.1:9/v1/other"),
    request({"a": 3}),  # no recording
]


def loaded(cls: type[Cassette], tmp_path: Path) -> Cassette:
    config = _cassette_config(tmp_path / f"{cls.__name__}.yaml", "none")
    cassette = cls(**{k: v for k, v in config.items() if k in _CASSETTE_ARGS})
    for n, recorded in enumerate(RECORDED):
        cassette.append(recorded, response(n))
    return cassette


_CASSETTE_ARGS = {"path", "serializer", "persister", "record_mode", "match_on"}
_CASSETTE_ARGS |= {"before_record_request", "before_record_response", "allow_playback_repeats"}


def test_the_indexed_cassette_plays_what_vcrpy_plays(tmp_path: Path) -> None:
    ours, theirs = loaded(IndexedCassette, tmp_path), loaded(Cassette, tmp_path)
    for asked in ASKED:
        assert ours.can_play_response_for(asked) == theirs.can_play_response_for(asked)
        assert list(ours._responses(asked)) == list(theirs._responses(asked))
    assert [r["body"]["string"] for _, r in ours._responses(ASKED[0])] == ["0", "2"]
    assert not ours.can_play_response_for(ASKED[-1])


def test_a_recording_added_later_is_found(tmp_path: Path) -> None:
    cassette = loaded(IndexedCassette, tmp_path)
    assert not cassette.can_play_response_for(ASKED[-1])
    cassette.append(request({"a": 3}), response(9))
    assert cassette.play_response(ASKED[-1])["body"]["string"] == "9"


def _unparsable(text: str) -> Any:
    raise AssertionError("parsed the YAML again")


def test_a_parsed_cassette_is_kept_and_a_broken_copy_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMX_CACHE", str(tmp_path / "cache"))
    data = {"version": 1, "interactions": [{"request": {"body": "é"}, "response": {"n": 1}}]}
    text = SERIALIZER.serialize(data)
    assert SERIALIZER.deserialize(text) == data
    (kept,) = (tmp_path / "cache" / "cassettes").iterdir()
    with monkeypatch.context() as patched:
        patched.setattr(yamlserializer, "deserialize", _unparsable)
        assert SERIALIZER.deserialize(text) == data  # from the kept copy, not the YAML
    kept.write_bytes(b"\x00broken")
    assert SERIALIZER.deserialize(text) == data
    assert SERIALIZER.deserialize(text + "\n") == data  # another content, another copy
    assert len(list((tmp_path / "cache" / "cassettes").iterdir())) == 2
