"""Results as reports: built from checked claims by the command line and by Python, and shown
in Jupyter (``ClaimResult`` and ``DocumentResult`` display themselves through this module)."""

from __future__ import annotations

import html

from symw2v.render import render_html, render_markdown
from symw2v.results import ClaimResult, Report, ReportKind
from symw2v.world.instance import Instance
from symw2v.world.losses import Loss

_FRAME_HEIGHT = 560  # pixels; the report scrolls inside its frame


def report_of(
    results,
    title: str,
    loss: Loss | None = None,
    instance: Instance | None = None,
    skipped=(),
    kind: ReportKind = ReportKind.CLAIM,
    source: str = "command line",
) -> Report:
    """The report of checked claims; ``loss`` None when each claim names its own."""
    instance = instance or Instance()
    return Report(
        title=title,
        source=source,
        loss_name=loss.name if loss else "per claim",
        loss_expression=loss.expression if loss else "",
        loss_description=loss.description if loss else "each claim names its loss",
        instance=instance.as_dict(),
        instance_text=instance.describe(loss.index_sets) if loss else instance.describe(),
        results=tuple(results),
        skipped=tuple(skipped),
        kind=kind,
    )


def claim_report(result: ClaimResult) -> Report:
    """The report of one claim checked from Python."""
    return report_of([result], f"Check of ∂J/∂{result.wrt}", kind=ReportKind.CLAIM, source="Python")


def document_report(document, title: str = "Check of a document", source: str = "Python") -> Report:
    """The report of a checked document (a ``DocumentResult``)."""
    return report_of(
        document.claims, title, skipped=document.skipped, kind=ReportKind.DOCUMENT, source=source
    )


def markdown(report: Report) -> str:
    return render_markdown(report)


def framed_html(report: Report) -> str:
    """The HTML report inside a sandboxed frame: its styles stay off the notebook's page, and it
    runs nothing (the report has no script, and the frame allows none)."""
    page = html.escape(render_html(report), quote=True)
    return (
        f'<iframe sandbox="" srcdoc="{page}" style="width: 100%; height: {_FRAME_HEIGHT}px; '
        'border: 1px solid #ccc"></iframe>'
    )
