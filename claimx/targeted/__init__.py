"""Targeted stance: what each article, and each source in it, says about one given claim.

The public call is :func:`claimx.stance_toward` (:mod:`~claimx.targeted.api`);
:mod:`~claimx.targeted.answer` states the order of the steps for one article.

The model step, a versioned prompt (``prompts/targeted/v<N>.yaml``, ``task: targeted``):

* :mod:`~claimx.targeted.task`: the prompt task, built and checked, its content hash;
* :mod:`~claimx.targeted.passages`: the numbered sentences a request shows;
* :mod:`~claimx.targeted.schema`: the bounded answer schema;
* :mod:`~claimx.targeted.asking`: one request, its answer read into sources and a position;
* :mod:`~claimx.targeted.api`: :func:`~claimx.targeted.api.stance_toward` over many inputs.

Everything that needs no model (one concern per module):

* :mod:`~claimx.targeted.lexical`: sentences, content words and IDF weights;
* :mod:`~claimx.targeted.cues`: refuting, hedging, confirming and negating cue words;
* :mod:`~claimx.targeted.screen`: the unrelated screen (no model call);
* :mod:`~claimx.targeted.features`: named features of a claim and an article;
* :mod:`~claimx.targeted.baseline`: the lexical baseline for the article's position;
* :mod:`~claimx.targeted.classifier`: the learned classifier (logistic regression);
* :mod:`~claimx.targeted.stance_encoder`: the learned cross-encoder (MiniLM, ONNX;
  the ``[encoder]`` extra), :mod:`~claimx.targeted.encoder_train` its training;
* :mod:`~claimx.targeted.readers`: which of the two decides where no model does;
* :mod:`~claimx.targeted.matching`: which extracted claims state the given claim,
  and with which polarity;
* :mod:`~claimx.targeted.aggregate`: source stances -> the article's position;
* :mod:`~claimx.targeted.answer`: every step, in order, for one claim and one article;
* :mod:`~claimx.targeted.gold`: the targeted-stance gold files;
* :mod:`~claimx.targeted.metrics`: accuracy, per-class P/R/F1, macro-F1, confusion;
* :mod:`~claimx.targeted.shipped`, :mod:`~claimx.targeted.train`: the learned
  parts shipped in ``data/`` and the command that rebuilds them.

The formats are in :mod:`claimx.models` (``TargetedRecord``, ``TargetedAnswer``).
"""
