#!/usr/bin/env python3
"""Google's LangExtract as a peer of claimx, on the same local model and articles.

    python benchmarks/langextract_peer.py --record   # live: needs the local server
    python benchmarks/langextract_peer.py            # offline: replays the cassettes

For each article in ``eval/articles/`` this runs ``lx.extract`` with one
extraction class, ``claim``, whose extraction text is the verbatim evidence and
whose attributes carry the speaker, the role, the affirmative proposition and
the stance (prompt, example and settings: ``benchmarks/langextract_prompt.yaml``).
LangExtract's own grounding (``char_interval``) gives ``start``/``end``;
``quote`` is ``text[start:end]``; ``direct`` says whether the span sits inside
double quotation marks. The result is written in the gold format
(``claimx.models.GoldArticle``) to ``eval/predictions/langextract/<stem>.json``.

Every HTTP exchange is recorded with vcrpy in
``eval/cassettes/local/langextract/<stem>.yaml`` (the claimx configuration:
match on method, path and body; the Authorization header filtered). Without
``--record`` the cassettes are replayed with record mode ``none``, so no server
is needed and the same prediction files come out. Both also write
``eval/predictions/langextract/manifest.json`` (versions, model, date, settings,
wall time, token usage read from the recorded responses, LangExtract's alignment
status of each claim, dropped extractions); a replay keeps the fields only a live
run knows (date, server, wall times) from the recorded manifest and regenerates
the rest, so it rewrites the same file.

LangExtract is a benchmark extra, not a dependency of claimx: it lives in its own
virtual environment (default ``$CLAIMX_CACHE/venv-langextract``, i.e.
``~/.cache/claimx/venv-langextract``), which this script creates when missing and
then re-runs itself in. ``claimx.models`` is loaded there by file path, so the
claimx package itself need not be installed in it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import json
import logging
import os
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "eval" / "articles"
PREDICTIONS = ROOT / "eval" / "predictions" / "langextract"
CASSETTES = ROOT / "eval" / "cassettes" / "local" / "langextract"
PROMPT_FILE = ROOT / "benchmarks" / "langextract_prompt.yaml"
MODELS_FILE = ROOT / "claimx" / "models.py"

CACHE = Path(os.environ.get("CLAIMX_CACHE", Path.home() / ".cache" / "claimx"))
VENV = Path(os.environ.get("CLAIMX_LANGEXTRACT_VENV", CACHE / "venv-langextract"))
# openai is pinned to claimx's own pin (pyproject.toml): LangExtract only asks for
# openai>=1.50 and would otherwise pull the newest one.
REQUIREMENTS = ("langextract[openai]==1.7.1", "openai==3.3.0", "vcrpy==9.4.2")

PORT = os.environ.get("CLAIMX_LLM_PORT", "8011")
DEFAULT_BASE_URL = os.environ.get("CLAIMX_LLM_BASE_URL", f"http://127.0.0.1:{PORT}/v1")
MODEL = "local"
RERECORD = "scripts/local-llm.sh start && python benchmarks/langextract_peer.py --record"

# The same vcrpy configuration as claimx/cassettes.py (not imported: it pulls in
# the claimx package, which this venv does not have).
MATCH_ON = ("method", "path", "body")
FILTERED_REQUEST_HEADERS = ("authorization", "api-key", "openai-organization", "openai-project")

OPEN_QUOTES = "“"
CLOSE_QUOTES = "”"

log = logging.getLogger("langextract_peer")


# ---------------------------------------------------------------- environment


def _in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def ensure_venv() -> Path:
    """Create (or update) the LangExtract venv; return its interpreter."""
    python = VENV / "bin" / "python"
    marker = VENV / "claimx-requirements.txt"
    wanted = "\n".join(REQUIREMENTS) + "\n"
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python
    if not python.exists():
        print(f"[langextract_peer] creating {VENV}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    print(f"[langextract_peer] installing {' '.join(REQUIREMENTS)}", file=sys.stderr)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *REQUIREMENTS,
        ],
        check=True,
    )
    marker.write_text(wanted)
    return python


def load_claimx_models() -> ModuleType:
    """``claimx/models.py`` by path (it needs only pydantic)."""
    name = "_claimx_models"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, MODELS_FILE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic resolves annotations through sys.modules
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- cassettes


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in {"set-cookie", "openai-organization"}:
            del headers[name]
    return response


def make_vcr(mode: str) -> Any:
    import vcr

    return vcr.VCR(
        record_mode=mode,
        match_on=MATCH_ON,
        filter_headers=list(FILTERED_REQUEST_HEADERS),
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    )


def _is_cassette_miss(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 20:
        if type(exc).__name__ == "CannotOverwriteExistingCassetteException":
            return True
        exc = getattr(exc, "original", None) or exc.__cause__ or exc.__context__
        seen += 1
    return False


def cassette_exchanges(path: Path) -> list[dict[str, Any]]:
    """Usage, server timings and finish reason of every recorded response."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for item in data.get("interactions", []):
        body = item["response"]["body"]["string"]
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        try:
            payload = json.loads(body)
        except json.JSONDecodeError:
            out.append({"status": item["response"]["status"]["code"], "unparsed": True})
            continue
        usage = payload.get("usage") or {}
        timings = payload.get("timings") or {}
        choices = payload.get("choices") or [{}]
        out.append(
            {
                "status": item["response"]["status"]["code"],
                "prompt_tokens": usage.get("prompt_tokens", 0),
                "completion_tokens": usage.get("completion_tokens", 0),
                "cached_prompt_tokens": timings.get("cache_n", 0),
                "server_ms": round(timings.get("prompt_ms", 0) + timings.get("predicted_ms", 0)),
                "finish_reason": choices[0].get("finish_reason"),
            }
        )
    return out


# ---------------------------------------------------------------- LangExtract


class _WarningsCollector(logging.Handler):
    """LangExtract logs (through absl) the chunks it drops; keep them for the manifest."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_spec() -> dict[str, Any]:
    import yaml

    return yaml.safe_load(PROMPT_FILE.read_text(encoding="utf-8"))


def build_examples(spec: dict[str, Any]) -> list[Any]:
    import langextract as lx

    cls = spec["extraction_class"]
    return [
        lx.data.ExampleData(
            text=ex["text"],
            extractions=[
                lx.data.Extraction(
                    extraction_class=cls,
                    extraction_text=x["text"],
                    attributes=dict(x["attributes"]),
                )
                for x in ex["extractions"]
            ],
        )
        for ex in spec["examples"]
    ]


def run_langextract(text: str, spec: dict[str, Any], base_url: str, api_key: str) -> Any:
    """One ``lx.extract`` call on one article; returns the AnnotatedDocument."""
    import langextract as lx
    from langextract import factory
    from langextract import prompt_validation as pv

    p = spec["params"]
    # model_id "local" matches none of LangExtract's provider patterns (^gpt-4,
    # ^gemini, ^qwen ...): the OpenAI provider is named explicitly, with the
    # generation settings as its constructor kwargs (extract()'s own temperature
    # and language_model_params are not used on the config path).
    config = factory.ModelConfig(
        model_id=MODEL,
        provider="OpenAILanguageModel",
        provider_kwargs={
            "api_key": api_key,
            "base_url": base_url,
            "temperature": p["temperature"],
            "max_workers": p["max_workers"],
            "seed": p["seed"],
            "max_output_tokens": p["max_output_tokens"],
        },
    )
    with warnings.catch_warnings():
        # "With 'config', schema constraints are still applied via examples": intended.
        warnings.filterwarnings("ignore", message="With 'config', schema constraints")
        return lx.extract(
            text,
            prompt_description=spec["prompt_description"],
            examples=build_examples(spec),
            config=config,
            use_schema_constraints=p["use_schema_constraints"],
            fence_output=p["fence_output"],
            max_char_buffer=p["max_char_buffer"],
            context_window_chars=p["context_window_chars"],
            extraction_passes=p["extraction_passes"],
            max_workers=p["max_workers"],
            batch_length=p["batch_length"],
            prompt_validation_level=pv.PromptValidationLevel.ERROR,
            prompt_validation_strict=True,
            show_progress=False,
        )


# ---------------------------------------------------------------- conversion


def is_direct(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] sits inside double quotation marks (same paragraph)."""
    para_start = text.rfind("\n", 0, start) + 1
    prefix = text[para_start:start]
    inner = text[start:end]
    opened = prefix.rfind(OPEN_QUOTES) > prefix.rfind(CLOSE_QUOTES) or prefix.count('"') % 2 == 1
    if inner[:1] in (OPEN_QUOTES, '"'):
        opened, inner = True, inner[1:]
    if inner[-1:] in (CLOSE_QUOTES, '"'):
        inner = inner[:-1]
    return opened and not any(q in inner for q in (OPEN_QUOTES, CLOSE_QUOTES, '"'))


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    value = " ".join(str(value).split())
    return None if value.lower() in {"", "null", "none", "n/a", "unknown"} else value


def to_gold(
    stem: str, text: str, extractions: list[Any], cls: str
) -> tuple[Any, list[str], list[dict[str, str]]]:
    """LangExtract extractions -> GoldArticle, LangExtract's alignment status of each
    kept claim, and the dropped extractions with the reason."""
    models = load_claimx_models()
    claims, statuses, dropped = [], [], []
    for ext in extractions:
        attrs = ext.attributes or {}
        why = None
        ci = ext.char_interval
        if ext.extraction_class != cls:
            why = f"extraction class {ext.extraction_class!r}"
        elif ci is None or ci.start_pos is None or ci.end_pos is None:
            why = "not grounded by LangExtract (no char_interval)"
        else:
            start, end = ci.start_pos, ci.end_pos
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            stance = (_clean(attrs.get("stance")) or "").lower()
            speaker = _clean(attrs.get("speaker"))
            proposition = _clean(attrs.get("proposition"))
            if start >= end:
                why = "empty span"
            elif not speaker:
                why = "no speaker"
            elif not proposition:
                why = "no proposition"
            elif stance not in models.STANCES:
                why = f"stance {attrs.get('stance')!r}"
        if why:
            dropped.append({"extraction_text": ext.extraction_text, "reason": why})
            continue
        status = ext.alignment_status
        statuses.append(status.value if status is not None else "none")
        claims.append(
            models.Claim(
                claim=proposition,
                speaker=speaker,
                speaker_role=_clean(attrs.get("speaker_role")),
                stance=stance,
                quote=text[start:end],
                start=start,
                end=end,
                direct=is_direct(text, start, end),
            )
        )
    return models.GoldArticle(article_id=stem, claims=claims), statuses, dropped


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- main


def server_info(base_url: str) -> dict[str, Any]:
    """What the server says about its model (best effort, outside the cassettes)."""
    try:
        with urllib.request.urlopen(base_url.rstrip("/") + "/models", timeout=10) as resp:
            data = json.load(resp)
        meta = (data.get("data") or [{}])[0].get("meta") or {}
        return {k: meta[k] for k in ("n_ctx", "n_params", "ftype") if k in meta}
    except Exception as exc:  # noqa: BLE001 - informational only
        return {"error": str(exc)}


def write_manifest(articles: dict[str, Any], live: dict[str, Any], spec: dict[str, Any]) -> None:
    from importlib.metadata import version

    write_json(
        PREDICTIONS / "manifest.json",
        {
            "tool": "langextract",
            "langextract_version": version("langextract"),
            "openai_version": version("openai"),
            "vcrpy_version": version("vcrpy"),
            "python": sys.version.split()[0],
            "model": MODEL,
            **live,
            "prompt_file": str(PROMPT_FILE.relative_to(ROOT)),
            "prompt_sha256": hashlib.sha256(PROMPT_FILE.read_bytes()).hexdigest(),
            "settings": {
                "extraction_class": spec["extraction_class"],
                "provider": "OpenAILanguageModel",
                **spec["params"],
            },
            "replay": "python benchmarks/langextract_peer.py",
            "rerecord": RERECORD,
            "articles": dict(sorted(articles.items())),
            "totals": {
                key: round(sum(a.get(key) or 0 for a in articles.values()), 1)
                for key in (
                    "wall_time_s",
                    "server_time_s",
                    "requests",
                    "prompt_tokens",
                    "completion_tokens",
                    "claims",
                )
            },
        },
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--record",
        action="store_true",
        help="run live against the server and re-record the cassettes",
    )
    ap.add_argument("--base-url", default=DEFAULT_BASE_URL)
    ap.add_argument(
        "--articles", nargs="*", metavar="STEM", help="only these article stems (default: all)"
    )
    ap.add_argument(
        "--model-description",
        default="Qwen2.5-Coder-1.5B-Instruct Q4_K_M GGUF, llama.cpp llama-server, 2 CPU threads",
    )
    args = ap.parse_args(argv)

    if not _in_venv():
        python = ensure_venv()
        os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])

    logging.basicConfig(level=logging.INFO, format="[%(name)s] %(message)s")
    for noisy in ("vcr", "httpx", "httpx2", "openai"):  # vcr logs whole bodies at INFO
        logging.getLogger(noisy).setLevel(logging.WARNING)
    collector = _WarningsCollector()
    logging.getLogger("absl").addHandler(collector)

    spec = load_spec()
    mode = "all" if args.record else "none"
    api_key = os.environ.get("OPENAI_API_KEY", "sk-local")
    stems = args.articles or sorted(p.stem for p in ARTICLES.glob("*.txt"))

    manifest_path = PREDICTIONS / "manifest.json"
    previous = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    articles: dict[str, Any] = dict(previous.get("articles", {}))
    if args.record:
        live = {
            "model_description": args.model_description,
            "server": server_info(args.base_url),
            "recorded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
    else:
        # A replay keeps what only the live run knew: when, on what, how long.
        live = {k: previous.get(k) for k in ("model_description", "server", "recorded_at")}

    for stem in stems:
        text = (ARTICLES / f"{stem}.txt").read_text(encoding="utf-8")
        cassette = CASSETTES / f"{stem}.yaml"
        if mode == "none" and not cassette.exists():
            print(f"no recording at {cassette}. Record it with: {RERECORD}", file=sys.stderr)
            return 2
        if mode == "all" and cassette.exists():
            cassette.unlink()  # a fresh recording, not old exchanges plus new ones
        cassette.parent.mkdir(parents=True, exist_ok=True)
        collector.messages.clear()
        log.info("%s: %s (%d chars)", stem, "recording" if args.record else "replaying", len(text))
        t0 = time.perf_counter()
        try:
            with make_vcr(mode).use_cassette(str(cassette), allow_playback_repeats=True):
                doc = run_langextract(text, spec, args.base_url, api_key)
        except Exception as exc:
            if _is_cassette_miss(exc):
                print(
                    f"{stem}: no recorded response in {cassette} matches a request (prompt,"
                    f" settings or library versions changed). Re-record with: {RERECORD}",
                    file=sys.stderr,
                )
                return 3
            raise
        wall = time.perf_counter() - t0
        gold, statuses, dropped = to_gold(
            stem, text, list(doc.extractions or []), spec["extraction_class"]
        )
        write_json(PREDICTIONS / f"{stem}.json", gold.model_dump(mode="json"))
        exchanges = cassette_exchanges(cassette)
        log.info(
            "%s: %d claims (%d extractions dropped), %d requests, %.1f s",
            stem,
            len(gold.claims),
            len(dropped),
            len(exchanges),
            wall,
        )
        articles[stem] = {
            # Only the wall time needs the live run; everything else is derived
            # from the cassette and the replayed result, so a replay rewrites it
            # identically.
            "wall_time_s": (
                round(wall, 1) if args.record else articles.get(stem, {}).get("wall_time_s")
            ),
            "chars": len(text),
            "requests": len(exchanges),
            "prompt_tokens": sum(e.get("prompt_tokens", 0) for e in exchanges),
            "completion_tokens": sum(e.get("completion_tokens", 0) for e in exchanges),
            "cached_prompt_tokens": sum(e.get("cached_prompt_tokens", 0) for e in exchanges),
            "server_time_s": round(sum(e.get("server_ms", 0) for e in exchanges) / 1000, 1),
            "finish_reasons": [e.get("finish_reason") for e in exchanges],
            "extractions": len(doc.extractions or []),
            "claims": len(gold.claims),
            "claim_alignment": statuses,
            "dropped": dropped,
            "langextract_warnings": list(collector.messages),
        }
        write_manifest(articles, live, spec)  # after each article: a late failure loses nothing
    log.info("wrote %s", manifest_path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
