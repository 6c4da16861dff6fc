"""The layers of claimx (README, "Architecture"): no module imports from a layer above its own.

Every ``import`` and ``from ... import`` of every module of ``claimx/`` is read
with :mod:`ast`, those inside functions and ``TYPE_CHECKING`` blocks included
(a deferred import is still a dependency). A module belongs to the layer of the
longest prefix that names it; a module named by no layer fails the test, so a
new package has to be placed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "claimx"

#: bottom to top; a module may import from its own layer and the layers below
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "base",
        (
            "claimx.errors", "claimx.models", "claimx.text", "claimx.markdown",
            "claimx.checkout", "claimx.html_page", "claimx.schema_export", "claimx.finetune",
        ),
    ),
    ("speakers and the tagger", ("claimx.speakers", "claimx.tagging")),
    ("model seam", ("claimx.llm", "claimx.cassettes")),
    ("prompts", ("claimx.prompts",)),
    ("extraction", ("claimx.extraction",)),
    ("runs", ("claimx.runs",)),
    (
        "eval, consolidate, targeted stance, datasets",
        (
            "claimx.eval", "claimx.consolidate", "claimx.targeted", "claimx.datasets",
            "claimx.tasks",
            # the tagger's training and dev report read the corpora and the scorer
            "claimx.tagging.corpus", "claimx.tagging.evaluate", "claimx.tagging.train",
            "claimx.tagging.tune", "claimx.tagging.crf", "claimx.tagging.perceptron",
            "claimx.tagging.encoder_train", "claimx.tagging.bilstm_train",
        ),
    ),
    (
        "cli and the public API",
        (
            "claimx", "claimx.__main__", "claimx.cli", "claimx.cli_errors", "claimx.cli_help",
            "claimx.prompts_cli", "claimx.eval.cli", "claimx.eval.__main__",
            "claimx.runs.batch_cli", "claimx.datasets.cli",
        ),
    ),
]  # fmt: skip


def layer_of(module: str) -> int | None:
    """The index of the layer whose longest prefix names ``module``."""
    best: tuple[int, int] | None = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (index, len(prefix))
    return None if best is None else best[0]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


def imports(path: Path) -> list[str]:
    """Every claimx module ``path`` imports, anywhere in it."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
        elif isinstance(node, ast.Import):
            out.extend(alias.name for alias in node.names)
    return [name for name in out if name == "claimx" or name.startswith("claimx.")]


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    unplaced = [module_name(p) for p in MODULES if layer_of(module_name(p)) is None]
    assert unplaced == [], "place these modules in LAYERS (and the README's table)"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_import_reaches_a_higher_layer(path: Path) -> None:
    mine = layer_of(module_name(path))
    assert mine is not None
    upward = [
        f"{name} ({LAYERS[other][0]})"
        for name in imports(path)
        if name != "claimx" and (other := layer_of(name)) is not None and other > mine
    ]
    assert upward == [], f"{module_name(path)} ({LAYERS[mine][0]}) imports from above"


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    # The speakers layer reaching into extraction (as it once did, deferred in a function).
    source = "def f():\n    from claimx.extraction.stages import registry\n"
    fake = PACKAGE / "speakers" / "attribution.py"
    path = tmp_path / "x.py"
    path.write_text(source, encoding="utf-8")
    found = imports(path)
    assert found == ["claimx.extraction.stages"]
    assert layer_of(found[0]) > layer_of(module_name(fake))  # type: ignore[operator]
