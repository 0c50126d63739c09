"""The training run in free prose: how long ("trained for 3 days") and on what ("8 A100s")."""

from __future__ import annotations

from bisect import bisect_right

from carbonlint.prose.body import Body, finditer_in_lines
from carbonlint.prose.model import Fact
from carbonlint.prose.patterns import regexes
from carbonlint.prose.scope import cues
from carbonlint.prose.units import normalised_unit, quantity_fact


def hours_facts(body: Body) -> list[Fact]:
    """Durations after a training verb: "trained for 3 days", "fine-tuning took 45 minutes"."""
    folded = body.folded
    if "train" not in folded and "tun" not in folded:
        return []
    rx = regexes()
    facts = []
    # The pattern matches within a line, never without "train" or "tun": only those lines.
    for match in finditer_in_lines(rx.hours, folded, body.lines_holding("train", "tun")):
        if not rx.rate.match(folded, match.end()):
            fact = quantity_fact(body, match, match.end(), "hours", normalised_unit(match["time"]),
                                 "free-text", None)
            if fact is not None:
                facts.append(fact._replace(scope=cues(body, match.start(), match.end())))
    return facts


def hardware_facts(body: Body) -> list[Fact]:
    """A count and a known accelerator ("8 x A100 80GB"), or a TPU slice ("TPU v3-8")."""
    rx = regexes()
    folded = body.folded
    counted = [(match.start(), match.end()) for match in rx.hardware.finditer(folded)]
    ends = [end for _, end in counted]
    slices = []
    for match in rx.tpu_slice.finditer(folded) if "tpu" in folded else ():
        # "16 TPU v3-8 slices" is already a counted match; a slice inside it is not another.
        index = bisect_right(ends, match.start())
        if index == len(counted) or counted[index][0] >= match.end():
            slices.append((match.start(), match.end()))
    facts = []
    for start, end in counted + slices:
        text, span = body.located(start, end)
        facts.append(Fact("hardware", text, text, None, None, "free-text", None, span,
                          cues(body, start, end)))
    return facts
