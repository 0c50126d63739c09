"""Cards a tool generated: AutoTrain and its predecessor AutoNLP.

AutoTrain writes ``co2_eq_emissions`` (measured with CodeCarbon) and nothing else about the run:
no hardware, no location, no source, no training type; the person who pressed the button often
cannot know them (the job ran on Hugging Face's machines). On 94 real cards, 43 of 47 "hardware
missing" and 25 of 29 "location missing" warnings were on such cards: right, and noise. The
reporting rules give a generated card one note (CL209) instead (rules/reporting.py).

A card counts as generated when its tags say ``autotrain`` or ``autonlp``, or its text has the
generator's heading ("# Model Trained Using AutoTrain") or its emissions line ("- CO2 Emissions
(in grams): ..."), which is how a hand-edited card that kept AutoTrain's section still shows.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

_HEADING = re.compile(r"^#+[ \t]*model trained using (autotrain|autonlp)\b", re.IGNORECASE | re.MULTILINE)
_EMISSIONS_LINE = re.compile(r"^[ \t]*-[ \t]*co2 emissions \(in grams\)[ \t]*:", re.IGNORECASE | re.MULTILINE)
_NAMES = {"autotrain": "AutoTrain", "autonlp": "AutoNLP"}


def generator(metadata: Mapping[str, Any], body: str) -> str | None:
    """"AutoTrain" or "AutoNLP" when one of them generated the card, else None."""
    tags = metadata.get("tags")
    if isinstance(tags, str):
        tags = [tags]
    if isinstance(tags, list):
        for tag in tags:
            if isinstance(tag, str) and tag.strip().lower() in _NAMES:
                return _NAMES[tag.strip().lower()]
    heading = _HEADING.search(body)
    if heading:
        return _NAMES[heading.group(1).lower()]
    if _EMISSIONS_LINE.search(body):
        return "AutoTrain"
    return None
