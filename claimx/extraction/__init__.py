"""Extraction: one article in, an :class:`~claimx.models.ExtractionResult` out.

* :mod:`~claimx.extraction.extractor`: the Python API (:func:`claimx.extract`,
  :class:`claimx.Extractor`), its settings written once (:class:`ExtractSettings`,
  :class:`ExtractOptions`);
* :mod:`~claimx.extraction.pipeline`: the one pipeline a prompt file configures,
  and its content hash;
* :mod:`~claimx.extraction.stages`: the stages it is made of, one module each,
  found by kind and name (find, ask, keep, speaker, stance);
* :mod:`~claimx.extraction.records`: what flows between them (candidates,
  requests, drafts);
* :mod:`~claimx.extraction.drafts`: what the model fills in;
  :mod:`~claimx.extraction.evidence`, :mod:`~claimx.extraction.stance`,
  :mod:`~claimx.extraction.confidence`: the rules that read the evidence, the
  stance and how sure a claim is;
* :mod:`~claimx.extraction.chunking`: long articles cut, mapped back, merged;
* :mod:`~claimx.extraction.assemble`: drafts grounded, speakers resolved,
  duplicates dropped, the same for every pipeline.

Stages reach a model only through :class:`claimx.llm.protocol.Model`.
"""
