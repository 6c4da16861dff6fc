"""What a local server says about itself: how many requests it decodes side by side.

llama.cpp's ``llama-server`` answers ``GET /props`` with ``total_slots`` (the
``-np`` it was started with) and ``GET /slots`` with one entry per slot, at the
server's root, beside ``/v1``. A server that answers neither (another
OpenAI-compatible server, ``/slots`` switched off) counts as one slot.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from urllib.parse import urlsplit, urlunsplit

#: seconds a local server has to answer: it is on this machine, or it is not up
PROBE_TIMEOUT_S = 2.0


def server_root(base_url: str) -> str:
    """``http://host:port/v1`` -> ``http://host:port``: where llama-server serves /props."""
    parts = urlsplit(base_url)
    path = parts.path.rstrip("/")
    path = path.removesuffix("/v1")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def get_json(url: str, timeout_s: float) -> Any:
    """The JSON an HTTP GET of ``url`` answers (any error raised as it comes)."""
    with urllib.request.urlopen(url, timeout=timeout_s) as response:  # noqa: S310 - http(s) only
        return json.loads(response.read())


def server_slots(base_url: str, *, timeout_s: float = PROBE_TIMEOUT_S) -> int | None:
    """The number of slots the server at ``base_url`` reports, or None when it does not say."""
    if urlsplit(base_url).scheme not in {"http", "https"}:
        return None
    root = server_root(base_url)
    for endpoint in ("/props", "/slots"):
        try:
            answer = get_json(root + endpoint, timeout_s)
        except Exception:  # noqa: BLE001 - down, no such route, not JSON: it does not say
            continue
        if endpoint == "/props" and isinstance(answer, dict):
            slots = answer.get("total_slots")
            if isinstance(slots, int) and not isinstance(slots, bool) and slots >= 1:
                return slots
        if endpoint == "/slots" and isinstance(answer, list) and answer:
            return len(answer)
    return None
