from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimx.cli import app
from claimx.errors import ConfigError
from claimx.llm.config import ClientConfig


def test_missing_key_for_remote_endpoint_says_what_to_set() -> None:
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        ClientConfig.from_env()


def test_local_server_needs_no_key() -> None:
    config = ClientConfig.from_env(base_url="http://127.0.0.1:8011/v1", model="local")
    assert config.is_local and config.resolved_api_key() == "local"


def test_environment_then_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("CLAIMX_MODEL", "env-model")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://localhost:9999/v1")
    assert ClientConfig.from_env().model == "env-model"
    config = ClientConfig.from_env(model="arg-model", base_url=None)
    assert config.model == "arg-model"
    assert config.base_url == "http://localhost:9999/v1"  # None overrides are ignored


def test_unknown_mode_lists_modes() -> None:
    with pytest.raises(ConfigError, match="json_schema, tools, md_json"):
        ClientConfig.from_env(base_url="http://127.0.0.1:1/v1", mode="xml")


def test_defaults_are_deterministic() -> None:
    config = ClientConfig.from_env(base_url="http://127.0.0.1:1/v1")
    assert config.temperature == 0.0 and config.seed == 0 and config.mode == "json_schema"


@pytest.mark.parametrize(
    "url", ["notaurl", "127.0.0.1:8011/v1", "ftp://host/v1", "http://h:port/v1"]
)
def test_a_base_url_that_is_not_a_url_is_refused_as_such(url: str) -> None:
    # issue 24: "--base-url notaurl" said "no API key for notaurl"
    with pytest.raises(ConfigError, match="is not a(n http\\(s\\))? URL") as info:
        ClientConfig.from_env(base_url=url)
    assert "API key" not in str(info.value)


def test_the_cli_names_a_bad_base_url_before_anything_else(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Kirby said it was false.", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(article), "--base-url", "notaurl"])
    assert result.exit_code == 2
    assert "'notaurl' is not an http(s) URL" in result.stderr
    assert "API key" not in result.stderr
