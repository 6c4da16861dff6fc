"""Corpus runs: inputs (:mod:`~claimx.runs.inputs`), the one orchestrator
(:mod:`~claimx.runs.orchestrator`) and its progress (:mod:`~claimx.runs.progress`)."""
