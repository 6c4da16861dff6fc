"""Extraction: one article in, an :class:`~claimx.models.ExtractionResult` out.

* :mod:`~claimx.extraction.extractor`: the Python API (:func:`claimx.extract`,
  :class:`claimx.Extractor`);
* :mod:`~claimx.extraction.strategies`: how a prompt asks the model (single pass,
  staged), each with its plan and, for the staged ones, stage one
  (:mod:`~claimx.extraction.strategies.candidates`);
* :mod:`~claimx.extraction.drafts`: what the model fills in;
* :mod:`~claimx.extraction.chunking`: long articles cut, mapped back, merged;
* :mod:`~claimx.extraction.assemble`: drafts grounded, speakers resolved,
  duplicates dropped, shared by every strategy.

Strategies reach a model only through :class:`claimx.llm.protocol.Model`.
"""
