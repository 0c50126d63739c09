"""``--statistics``: how many findings each rule has, as ``ruff check --statistics`` prints them.

Text: one line per code, the most frequent first, ``[*]`` when ``carbonlint fix`` can fix at
least one of them; then the run's count. JSON: an array of ``{code, name, severity, count,
fixable_count}`` objects (ruff's shape, plus the severity). Cards that could not be read are
counted on their own line (text) or under the code ``null`` (JSON), so that the totals add up.
Only counts are kept, however many cards there are.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TextIO

from carbonlint.findings import CardReport
from carbonlint.formatters import Summary


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class StatisticsReporter:
    def __init__(self, stream: TextIO, *, json_output: bool = False, color: bool = False) -> None:
        self.stream = stream
        self.json_output = json_output
        self.color = color
        self.counts: Counter[str] = Counter()
        self.fixable: Counter[str] = Counter()
        self.severity: dict[str, str] = {}  # the worst severity seen per code (after [severity])
        self.ranks: dict[str, int] = {}
        self.unreadable = 0

    def report(self, card: CardReport) -> None:
        self.unreadable += card.error is not None
        for finding in card.findings:
            self.counts[finding.code] += 1
            self.fixable[finding.code] += finding.fix is not None
            if int(finding.severity) > self.ranks.get(finding.code, -1):
                self.ranks[finding.code] = int(finding.severity)
                self.severity[finding.code] = str(finding.severity)

    def _rows(self) -> list[tuple[str, int]]:
        return sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))

    def close(self, summary: Summary) -> None:
        from carbonlint.rules import all_rules

        rules = all_rules()
        if self.json_output:
            rows: list[dict[str, object]] = [
                {"code": code, "name": rules[code].name, "severity": self.severity[code],
                 "count": count, "fixable_count": self.fixable[code]}
                for code, count in self._rows()]
            if self.unreadable:
                rows.append({"code": None, "name": "unreadable-card", "severity": "error",
                             "count": self.unreadable, "fixable_count": 0})
            self.stream.write(json.dumps(rows, indent=2) + "\n")
            return
        rows_text = self._rows()
        width = max((len(f"{count:,}") for _, count in rows_text), default=1)
        width = max(width, len(f"{self.unreadable:,}"))
        for code, count in rows_text:
            mark = "[*]" if self.fixable[code] else "[ ]"
            code_text = f"\x1b[1m{code}\x1b[0m" if self.color else code
            self.stream.write(f"{count:>{width},}  {code_text}  {mark} {rules[code].name} "
                              f"({self.severity[code]})\n")
        if self.unreadable:
            self.stream.write(f"{self.unreadable:>{width},}  {'-' * 5}  [ ] could not be read\n")
        total = summary.errors + summary.warnings + summary.infos
        line = (f"{_plural(total, 'finding')} ({_plural(summary.errors, 'error')}, "
                f"{_plural(summary.warnings, 'warning')}, {_plural(summary.infos, 'info')}) in "
                f"{_plural(summary.files, 'card')}")
        if summary.below_min_class:
            line += f"; {summary.below_min_class} below --min-class"
        self.stream.write(line + ".\n")
