"""Evaluation of claimx against gold data: matching, metrics, paired bootstrap A/B, reports.

From runs to reports::

    report = build_report(runs, meta)          # claimx.eval.compare
    render_terminal(report, console)           # claimx.eval.reports
    render_markdown(report), render_json(report), render_html(report)

How scoring works, exactly: ``eval/README.md ("How scoring works")``.
"""
