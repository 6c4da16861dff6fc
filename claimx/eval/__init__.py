"""Evaluation of claimx against gold data: matching, metrics, paired bootstrap A/B, reports.

Run, then score: :mod:`claimx.eval.runner` runs each system (prompt version x
model) over the gold into ``ExtractionResult`` JSONL, :func:`claimx.eval.results.load_runs`
reads such files back, and the command line is :mod:`claimx.eval.cli`::

    runs = load_runs(files, gold)              # claimx.eval.results
    report = build_report(runs, meta)          # claimx.eval.compare
    render_terminal(report, console)           # claimx.eval.reports
    render_markdown(report), render_json(report), render_html(report)

Scoring stands on one core, shared by claim scoring (:mod:`~claimx.eval.matching`,
:mod:`~claimx.eval.metrics`) and detection scoring (:mod:`~claimx.eval.detection`):
the one assignment (:mod:`~claimx.eval.assign`), the overlap measures on text spans
(:mod:`~claimx.eval.overlap`), the one speaker rule (:mod:`claimx.speakers.identity`)
and metrics as rows (:mod:`~claimx.eval.metric`) that the bootstrap
(:mod:`~claimx.eval.bootstrap`), the A/B (:mod:`~claimx.eval.compare`) and the
reports read. How scoring works, exactly: ``eval/README.md ("How scoring works")``.
"""
