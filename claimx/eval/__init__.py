"""Evaluation of claimx against gold data: matching, metrics, paired bootstrap A/B, reports.

Run, then score: :mod:`claimx.eval.runner` runs each system (prompt version x
model) over the gold into ``ExtractionResult`` JSONL, :func:`claimx.eval.results.load_runs`
reads such files back, and the command line is :mod:`claimx.eval.cli`::

    runs = load_runs(files, gold)              # claimx.eval.results
    report = build_report(runs, meta)          # claimx.eval.compare
    render_terminal(report, console)           # claimx.eval.reports
    render_markdown(report), render_json(report), render_html(report)

How scoring works, exactly: ``eval/README.md ("How scoring works")``.
"""
