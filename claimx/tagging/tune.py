"""How the training parameters were chosen: on PolNeAR *train* alone, never dev.

    python -m claimx.tagging.tune ~/src/PolNeAR                 # every table
    python -m claimx.tagging.tune ~/src/PolNeAR --only stage-one
    python -m claimx.tagging.tune ~/src/PolNeAR --only bilstm --out out/tune   # needs torch
    python -m claimx.tagging.tune ~/src/PolNeAR --only encoder --out out/tune  # needs torch

Train is cut in two disjoint parts by position in file order: the models
are fitted on the texts at odd positions and scored on every eighth text
(positions 0, 8, 16, ...), so the held-out part is never seen in fitting.
It prints how varied train's cues are, the shape of train's attributions and
what no model can beat (``ceiling``: gold labels through the decoder, every
paragraph as the stage one), then one row as each is done:

* ``crf``: CRFsuite's L1/L2 regularisation (``c1``, ``c2``);
* ``perceptron``: the number of epochs;
* ``stage-one``: :func:`~claimx.tagging.tagger.stage_one`'s slack and context
  with the CRF of the shipped parameters;
* ``bilstm`` (only when asked for: it needs torch, the ``[train-encoder]``
  extra): family 4's LSTM width and whether it reads the pieces' shapes
  (:data:`BILSTM_GRID`, each run int8 as shipped, on one thread). The
  shipped row is the highest content F1 at token overlap >= 0.3, or, within
  0.005 of it, the cheapest (fewest numbers per piece);
* ``encoder`` (only when asked for, as ``bilstm``): family 3's epochs
  (:data:`ENCODER_EPOCHS`), each run int8 as shipped, on two threads: whether
  training longer buys source and cue spans.

The shipped values (:class:`~claimx.tagging.crf.CrfParams`,
:class:`~claimx.tagging.perceptron.PerceptronParams`,
:data:`~claimx.tagging.tagger.STAGE_ONE_SLACK`,
:data:`~claimx.tagging.tagger.STAGE_ONE_CONTEXT`) are the best rows: the
highest content F1 at token overlap >= 0.3, and for the stage one the least
text that keeps recall >= 0.95.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path

from claimx.tagging.attribution import TaggedAttribution
from claimx.tagging.corpus import Document, read_split, role_spans, sequences
from claimx.tagging.crf import CrfParams, train_crf
from claimx.tagging.decode import decode
from claimx.tagging.encoder_train import Fitted
from claimx.tagging.evaluate import DevReport, evaluate
from claimx.tagging.labels import encode
from claimx.tagging.lexicon import read_cue_tsv
from claimx.tagging.model import Model
from claimx.tagging.onnx_tagger import OnnxFamily, OnnxTagger
from claimx.tagging.perceptron import PerceptronParams, train_perceptron
from claimx.tagging.tagger import stage_one, tag
from claimx.tagging.tokens import tokenize
from claimx.tagging.train import CUE_TSV
from claimx.text.segments import paragraphs, sentences

__all__ = ["BILSTM_GRID", "CRF_GRID", "ENCODER_EPOCHS", "EPOCHS", "STAGE_ONE_GRID", "main"]

CRF_GRID = ((0.1, 0.01), (0.02, 0.05), (0.3, 0.001), (1.0, 0.001), (3.0, 0.001))
EPOCHS = (5, 12, 20)
RARE = 20
STAGE_ONE_GRID = tuple((s, c) for s in (0.0, 1.0, 1.5, 2.0, 3.0) for c in (0, 1))
BILSTM_GRID = ((128, 0), (128, 16), (160, 16), (192, 16))
"""Family 4's (LSTM units a direction, shape vector width), the other parameters the
shipped run's (:class:`~claimx.tagging.bilstm_train.BilstmParams`)."""
ENCODER_EPOCHS = (3.0, 6.0)
"""Family 3's passes over the windows, the other parameters the shipped run's
(:class:`~claimx.tagging.encoder_train.EncoderParams`: 3 epochs)."""


def _row(label: str, report: DevReport, seconds: float) -> str:
    _, _, f30 = report.content["token>=0.3"]
    return (
        f"| {label} | {f30:.3f} | {report.content['exact'][2]:.3f} |"
        f" {report.source.prf()[2]:.3f} | {report.cue.prf()[2]:.3f} | {seconds:.0f} |"
    )


def _fit_and_score(fit: Callable[[], Model], held: list[Document], label: str) -> tuple[Model, str]:
    started = time.process_time()
    model = fit()
    seconds = time.process_time() - started
    report = evaluate(held, lambda text: tag(text, model))
    return model, _row(label, report, seconds)


def _onnx_row(
    label: str,
    trained: Fitted,
    run: Path,
    graph: tuple[str, ...],
    family: OnnxFamily,
    held: list[Document],
) -> str:
    """A fitted ONNX family's row: exported int8 as shipped, scored on ``held``."""
    from claimx.finetune import export_onnx

    _, int8 = export_onnx(trained.model, run, graph, {0: "batch", 1: "sequence"})
    report = evaluate(held, OnnxTagger(int8, run / "tokenizer.json", family=family).tag)
    return _row(label, report, trained.cpu_s)


def _bilstm_rows(fitted: list[Document], held: list[Document], out: Path) -> None:
    """Family 4 over :data:`BILSTM_GRID`: fit on ``fitted``, int8 as shipped, score on ``held``."""
    from claimx.tagging.bilstm_train import BilstmParams, fit, inputs

    for hidden, width in BILSTM_GRID:
        params = BilstmParams(hidden=hidden, shape_width=width)
        run = out / f"bilstm-{hidden}-{width}"
        trained = fit(fitted, run, params)
        print(
            _onnx_row(f"{hidden}, {width}", trained, run, inputs(params), "bilstm", held),
            flush=True,
        )


def _encoder_rows(fitted: list[Document], held: list[Document], out: Path) -> None:
    """Family 3 over :data:`ENCODER_EPOCHS`: fit on ``fitted``, int8 as shipped, score on
    ``held``."""
    from claimx.tagging.encoder_train import INPUTS, EncoderParams, fit

    for epochs in ENCODER_EPOCHS:
        run = out / f"encoder-{epochs:g}"
        trained = fit(fitted, run, EncoderParams(epochs=epochs))
        print(_onnx_row(f"{epochs:g}", trained, run, INPUTS, "encoder", held), flush=True)


def _gold_tagger(documents: list[Document]) -> Callable[[str], list[TaggedAttribution]]:
    """A "tagger" that labels every token with its gold label: what the scheme and
    the decoder can reach at best."""
    gold = {d.text: [role_spans(a) for a in d.attributions] for d in documents}

    def run(text: str) -> list[TaggedAttribution]:
        out: list[TaggedAttribution] = []
        for paragraph in tokenize(text):
            inside = [g for g in gold[text] if g.extent.overlaps(paragraph.span)]
            out.extend(decode(paragraph, encode(paragraph.tokens, inside)))
        return out

    return run


def _ceiling(documents: list[Document], held: list[Document]) -> None:
    """The data's shape, and what no model can beat: gold labels decoded, every paragraph."""
    atts = [(d, role_spans(a)) for d in documents for a in d.attributions]
    one_paragraph = one_sentence = 0
    for d, a in atts:
        paras = {i for i, p in enumerate(paragraphs(d.text)) if p.overlaps(a.extent)}
        sents = [s for p in paragraphs(d.text) for s in sentences(d.text, p)]
        one_paragraph += len(paras) == 1
        one_sentence += sum(s.overlaps(a.extent) for s in sents) == 1
    nested = 0
    for d in documents:
        spans = [role_spans(a).extent for a in d.attributions]
        nested += sum(any(o is not s and o.overlaps(s) for o in spans) for s in spans)
    n = len(atts)
    print(
        f"train attributions: {n:,}; in one paragraph {one_paragraph / n:.1%}, in one"
        f" sentence {one_sentence / n:.1%}, overlapping another {nested / n:.1%}"
    )
    gold = evaluate(held, _gold_tagger(held))
    every = evaluate(held, _gold_tagger(held), stage_one=paragraphs)
    _, _, f30 = gold.content["token>=0.3"]
    print(
        f"gold labels, decoded (held-out part): content F1 {f30:.3f} at token>=0.3,"
        f" {gold.content['exact'][2]:.3f} exact"
    )
    print(
        f"every paragraph as the stage one (held-out part): recall {every.stage_one_recall:.3f}"
        f" at {every.candidates_per_1000:.2f} per 1,000 characters,"
        f" {every.candidate_share:.0%} of the text\n",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkout", type=Path, help="PolNeAR checkout (or its data/ folder)")
    parser.add_argument(
        "--only",
        choices=("ceiling", "crf", "perceptron", "stage-one", "bilstm", "encoder"),
        default=None,
    )
    parser.add_argument(
        "--out", type=Path, default=Path("out/tune"), help="bilstm, encoder: where runs are kept"
    )
    args = parser.parse_args(argv)

    lexicon = read_cue_tsv(CUE_TSV)
    documents = read_split(args.checkout, "train")
    fitted = [d for i, d in enumerate(documents) if i % 2 == 1]
    held = documents[0::8]
    if args.only in (None, "ceiling"):
        _ceiling(documents, held)
        if args.only:
            return 0
    print(f"PolNeAR train: fit on {len(fitted)} texts, scored on {len(held)} others")
    cues = Counter(
        " ".join(a.cue.lower().split()) for d in documents for a in d.attributions if a.cue
    )
    rare = sum(n for n in cues.values() if n < RARE)
    print(
        f"cues of all train: {sum(cues.values()):,}, written {len(cues):,} ways;"
        f" {rare / sum(cues.values()):.0%} in a way seen fewer than {RARE} times\n"
    )
    header = "| content F1, token>=0.3 | content F1, exact | source F1 | cue F1 | CPU s |"
    rule = "|---|---:|---:|---:|---:|---:|"
    if args.only == "bilstm":  # not in the default run: it needs torch
        print(f"| BiLSTM units, shape width {header}\n{rule}", flush=True)
        _bilstm_rows(fitted, held, args.out)
        return 0
    if args.only == "encoder":  # the same
        print(f"| encoder epochs {header}\n{rule}", flush=True)
        _encoder_rows(fitted, held, args.out)
        return 0

    data = list(sequences(fitted, lexicon))  # the linear models' features
    if args.only in (None, "crf"):
        print(f"| CRF c1, c2 {header}\n{rule}", flush=True)
        for c1, c2 in CRF_GRID:
            crf = partial(train_crf, data, lexicon, CrfParams(c1=c1, c2=c2))
            _, row = _fit_and_score(crf, held, f"{c1}, {c2}")
            print(row, flush=True)
        print()
    if args.only in (None, "perceptron"):
        print(f"| perceptron epochs {header}\n{rule}", flush=True)
        for epochs in EPOCHS:
            perceptron = partial(train_perceptron, data, lexicon, PerceptronParams(epochs=epochs))
            _, row = _fit_and_score(perceptron, held, str(epochs))
            print(row, flush=True)
        print()
    if args.only in (None, "stage-one"):
        model = train_crf(data, lexicon, CrfParams())
        print("| stage one slack, context | recall | candidates / 1,000 chars | share of text |")
        print("|---|---:|---:|---:|", flush=True)
        tagged = {d.text: tag(d.text, model) for d in held}
        for slack, context in STAGE_ONE_GRID:
            report = evaluate(
                held,
                tagged.__getitem__,
                stage_one=partial(stage_one, model=model, slack=slack, context=context),
            )
            print(
                f"| {slack}, {context} | {report.stage_one_recall:.3f} |"
                f" {report.candidates_per_1000:.2f} | {report.candidate_share:.0%} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
