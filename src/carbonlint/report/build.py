"""CardReports -> the HTML page: the one function every input (paths, Hub, JSON, CSV) ends in."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from carbonlint.baselines import Baseline
    from carbonlint.findings import CardReport


class MissingExtra(Exception):
    """matplotlib is not installed: the report extra is needed."""


def require_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise MissingExtra("carbonlint report draws its charts with matplotlib: install it with "
                           "pip install 'carbonlint[report]'") from None


def build_html(reports: Iterable[CardReport], baseline: Baseline, *, title: str, source: str,
               extra_sections: Sequence[tuple[str, str, str]] = (), share_known: bool = True,
               show_table: bool = True) -> str:
    require_matplotlib()
    from carbonlint.report import charts
    from carbonlint.report.audit import build_audit
    from carbonlint.report.page import render

    audit = build_audit(reports, baseline)
    with charts.theme():
        drawn = {
            "classes": charts.classes_chart(audit),
            "rules": charts.rules_chart(audit),
            "peers": charts.peers_chart(audit, baseline),
            "labels": charts.labels_chart(audit) if any(audit.labels.values()) else None,
            "plausibility": charts.plausibility_chart(audit),
            "time": charts.time_chart(audit, share_known=share_known),
        }
    return render(audit, drawn, baseline, title=title, source=source,
                  extra_sections=extra_sections, show_table=show_table)


def write_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, so a reader never
    sees half a report."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".carbonlint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
