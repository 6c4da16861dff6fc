"""The attribution tagger: who is reported (source), by which cue, saying what (content).

A linear-chain model trained on PolNeAR *train* labels each token of a
paragraph as source, cue, content or none; the labelled spans are grouped
into attributions, each with its source span (or none), cue span and content
span(s), in article offsets. The runtime needs numpy only; decisions are made
in integer arithmetic, so they are the same on every CPU. ``MODEL_CARD.md``
says what the shipped weights are and how to retrain them.

>>> from claimx.tagging import tag
>>> [a.texts(text) for a in tag(text)]  # doctest: +SKIP
[('Clinton', 'said', '“We will win”')]

Modules, runtime:

* :mod:`~claimx.tagging.tokens`: paragraphs of tokens;
* :mod:`~claimx.tagging.quotes`, :mod:`~claimx.tagging.lexicon`,
  :mod:`~claimx.tagging.features`: what the model sees of each token;
* :mod:`~claimx.tagging.labels`: the BIO scheme; :mod:`~claimx.tagging.decode`:
  labels to attributions;
* :mod:`~claimx.tagging.model`, :mod:`~claimx.tagging.viterbi`: fixed-point
  weights and their file, integer decoding;
* :mod:`~claimx.tagging.tagger`: :func:`tag`, and :func:`stage_one`, the
  sentences to ask a model about; :mod:`~claimx.tagging.candidates`: those
  sentences from tagged spans; :mod:`~claimx.tagging.result`: the tagger as a system;
* :mod:`~claimx.tagging.onnx_tagger`: the ONNX families' runtime (the ``[encoder]``
  extra; the CRF stays the default): family 3, a fine-tuned MiniLM
  (``tag(text, family="encoder")``), and family 4, a BiLSTM over MiniLM's
  wordpiece vectors (``family="bilstm"``: the encoder's content quality at a
  fifth of its CPU).

Training only (they import :mod:`claimx.datasets` and :mod:`claimx.eval`, and
CRFsuite from the ``[train]`` extra): :mod:`~claimx.tagging.corpus`,
:mod:`~claimx.tagging.crf`, :mod:`~claimx.tagging.perceptron`,
:mod:`~claimx.tagging.evaluate`, :mod:`~claimx.tagging.train` (the retrain
command), :mod:`~claimx.tagging.tune` (how its parameters were chosen, on train),
:mod:`~claimx.tagging.encoder_train` (family 3's fine-tuning and ONNX export: torch
and transformers, the ``[train-encoder]`` extra), :mod:`~claimx.tagging.bilstm_train`
(family 4's, the same extra).
"""

from claimx.tagging.attribution import TaggedAttribution
from claimx.tagging.candidates import candidates
from claimx.tagging.result import as_result
from claimx.tagging.tagger import default_model, stage_one, tag

__all__ = ["TaggedAttribution", "as_result", "candidates", "default_model", "stage_one", "tag"]
