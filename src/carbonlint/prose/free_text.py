"""Free prose: emissions and energy figures (the training run's hours and hardware are in
``training_run``)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from carbonlint.prose.body import Body
from carbonlint.prose.model import Fact
from carbonlint.prose.patterns import regexes
from carbonlint.prose.scope import cues as cues_of
from carbonlint.prose.training_run import hardware_facts, hours_facts
from carbonlint.prose.units import normalised_unit, quantity_fact

_CUE_WINDOW = 80


def free_text_facts(body: Body) -> list[Fact]:
    folded = body.folded
    # Every free-text fact starts with a number; and a pattern is compiled only for a text that
    # holds the words it cannot match without (compiling them all costs ~10 ms a process).
    if not any(digit in folded for digit in "0123456789"):
        return []
    facts = _free_quantities(body)
    facts += hours_facts(body)
    facts += hardware_facts(body)
    return facts


def _free_quantities(body: Body) -> list[Fact]:
    """Energy ("433 MWh") and emissions: "5.6 KgCO2", "25 tCO2eq", "1.2 kg of CO2"; a bare
    "24.7 tonnes" only after a cue word.

    "g" and "t" need the CO2 marker whatever the context: "8 g" or "5 t" are too easily
    something else. Intensities and rates ("0.4 kgCO2/kWh", "... per year") are not amounts.
    """
    rx = regexes()
    folded = body.folded
    facts = []
    cues: _CueIndex | None = None
    for match in rx.quantity.finditer(folded):
        stop = match.end()
        if match["energy"] is not None:
            kind, unit = "energy_kwh", match["energy"]
        else:
            kind, unit = "emissions_g", match["mass"]
            marker = rx.marker.match(folded, stop)
            if marker is not None:
                stop = marker.end()
            elif unit in ("g", "t"):
                continue
            else:
                cues = cues or _CueIndex(body)
                if not cues.before(match.start()):
                    continue
        if rx.rate.match(folded, stop):
            continue
        fact = quantity_fact(body, match, stop, kind, normalised_unit(unit), "free-text", None)
        if fact is not None:
            facts.append(fact._replace(scope=cues_of(body, match.start(), stop)))
    return facts


class _CueIndex:
    """Where the cue words and sentence ends are, found in one pass over the body.

    Searching a window before every bare "kg" would cost a regex search per candidate; with
    the positions sorted, each question is two bisections.
    """

    def __init__(self, body: Body) -> None:
        rx = regexes()
        self.folded = body.folded
        self.cues = [match.start() for match in rx.cue.finditer(body.folded)]
        self.sentence_ends = [match.end() for match in rx.sentence_end.finditer(body.text)]

    def before(self, start: int) -> bool:
        """Whether a cue word comes shortly before ``start``, in the same line and sentence."""
        index = bisect_left(self.cues, start) - 1
        if index < 0 or self.cues[index] < start - _CUE_WINDOW:
            return False
        cue = self.cues[index]
        end = bisect_right(self.sentence_ends, start) - 1
        if end >= 0 and self.sentence_ends[end] > cue:
            return False
        return "\n" not in self.folded[cue:start]

