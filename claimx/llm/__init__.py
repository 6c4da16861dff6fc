"""The model seam: what pipelines ask of a model, and everything around one call.

* :mod:`~claimx.llm.protocol`: :class:`~claimx.llm.protocol.Model`, the one thing a
  pipeline depends on (complete messages into a response model);
* :mod:`~claimx.llm.client`: :class:`~claimx.llm.client.LLM`, the call itself (retry
  policy, SDK errors translated into :mod:`claimx.errors`);
* :mod:`~claimx.llm.layers`: the response cache, the failure dump and usage
  accounting, each a :class:`~claimx.llm.protocol.Model` wrapping another;
  :func:`~claimx.llm.layers.open_model` stacks them;
* :mod:`~claimx.llm.cache`: the SQLite store and its key; :mod:`~claimx.llm.config`:
  which endpoint, model and mode; :mod:`~claimx.llm.server`: what a server says about
  itself (its slots, whether it answers at all); :mod:`~claimx.llm.private`: files that
  hold article text or answers, owner-only.

Recording and replay (:mod:`claimx.cassettes`) sit outside: they register how a
replay miss is explained (:func:`claimx.llm.client.register_error_translator`).
"""
