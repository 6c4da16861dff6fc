"""Corpus runs: one run spec (:mod:`~claimx.runs.spec`) that every engine takes whole,
the engine protocol, its registry and the promises every engine keeps
(:mod:`~claimx.runs.engine`); the engines: the asyncio orchestrator
(:mod:`~claimx.runs.orchestrator`), Ray Data (:mod:`~claimx.runs.ray_engine`), provider
batch APIs (:mod:`~claimx.runs.batch_engine` over :mod:`~claimx.runs.provider_batch`, its
commands in :mod:`~claimx.runs.batch_cli`); what they share: inputs (:mod:`~claimx.runs.inputs`),
output formats and the checks before a run (:mod:`~claimx.runs.outputs`), the circuit
breaker (:mod:`~claimx.runs.breaker`), the plan of a run without a model call
(:mod:`~claimx.runs.plan`) and progress (:mod:`~claimx.runs.progress`)."""
