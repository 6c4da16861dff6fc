"""The text layer: characters and words of an article, no model and no I/O.

* :mod:`~claimx.text.spans`: :class:`~claimx.text.spans.Span`, the one type for
  "where in the article";
* :mod:`~claimx.text.segments`: lines, paragraphs and sentences;
* :mod:`~claimx.text.normalize`: folding, stemming, stop words, content words and
  proposition keys (the policy a parameter, :class:`~claimx.text.normalize.WordPolicy`);
* :mod:`~claimx.text.grounding`: finding a model-written quote in the article;
* :mod:`~claimx.text.furniture`: page furniture and teaser headlines.

Everything above imports from here; nothing here imports from above.
"""
