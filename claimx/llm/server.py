"""What a server says about itself: whether it answers at all, and (a local llama-server)
how many requests it decodes side by side.

llama.cpp's ``llama-server`` answers ``GET /props`` with ``total_slots`` (the
``-np`` it was started with) and ``GET /slots`` with one entry per slot, at the
server's root, beside ``/v1``. A server that answers neither (another
OpenAI-compatible server, ``/slots`` switched off) counts as one slot.
"""

from __future__ import annotations

import json
import urllib.error
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


def endpoint_answers(base_url: str, *, timeout_s: float = PROBE_TIMEOUT_S) -> str | None:
    """Health probe: None when something answers HTTP at ``base_url``, else why not.

    ``GET <base_url>/models`` (the OpenAI route every compatible server has);
    any HTTP status counts as an answer (a 401 or a 404 comes from a server that
    is up), so no key is sent. Refused, unreachable or silent past ``timeout_s``
    is down. The circuit breaker asks this before stopping a run
    (:mod:`claimx.runs.breaker`).
    """
    url = base_url.rstrip("/") + "/models"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s):  # noqa: S310 - http(s) only
            return None
    except urllib.error.HTTPError:
        return None  # an HTTP status: the server is up
    except urllib.error.URLError as exc:
        return f"GET {url}: {exc.reason}"
    except TimeoutError:
        return f"GET {url}: no answer in {timeout_s:g} s"
    except (OSError, ValueError) as exc:  # reset, closed, malformed answer
        return f"GET {url}: {type(exc).__name__}: {exc}"
