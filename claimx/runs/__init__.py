"""Corpus runs: inputs (:mod:`~claimx.runs.inputs`), the one orchestrator
(:mod:`~claimx.runs.orchestrator`), output formats (:mod:`~claimx.runs.outputs`)
and progress (:mod:`~claimx.runs.progress`)."""
