"""The estimate's inputs where real cards write them in their text, beyond the template's fields.

- "Time: 44.0 hours on Google Cloud TPU v4-16": a line that gives the duration and, after "on",
  the hardware (:func:`time_lines`);
- "184,320 GPU hours", "Training time (GPU hours): 184320": device-hours, every device's hours
  together (:func:`device_hours`), read only where they describe the card's own run;
- "trained on 384 A100 GPUs for 2,820 hours": the duration beside the devices
  (:func:`durations_beside`);
- "trained on 16 NVIDIA A100": a count the text gives a device the metadata names without one
  (:func:`count_for`).

Every pattern here is linear-time: digit runs are entered only at their start, and no two
blank runs stand side by side.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from carbonlint.record import Record

if TYPE_CHECKING:
    from carbonlint.checker import Context
    from carbonlint.estimate import Hardware

# "Time: 44.0 hours on Google Cloud TPU v4-16", "Training time: 3 days on 8 x V100": anchored
# at a line start, each repeated class followed by a different character.
_TIME_LINE = re.compile(
    r"(?im)^[ \t>*_-]*(?:total[ \t]+)?(?:training[ \t]+|compute[ \t]+)?(?:time|duration)"
    r"[ \t*_]*:[ \t*_]*([^\n]*)$"
)
# "184,320 GPU hours", "1.3M GPU-hours", "GPU hours: 3,072", "Training time (GPU hours): 184320".
_DEVICE_HOURS = re.compile(
    r"(?i)(?:(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)[ \t]*(?:(m|k)[ \t]*)?"
    # "3,072 A100 GPU hours", "1M NVIDIA A100 GPU-hours": up to two words of the device's name.
    r"(?:[a-z][\w-]{0,20}[ \t]+){0,2}"
    r"(?:gpu|tpu|accelerator|chip|device)[ \t-]*hours?\b"
    r"|(?:gpu|tpu|accelerator|chip|device)[ \t-]*hours?\)?[ \t*_]*:[ \t*_]*"
    r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)[ \t]*(m|k)?\b)"
)
_SCALE = {"m": 1e6, "k": 1e3}
# A label that counts device-hours ("GPU hours:", "Training time (GPU hours):"): its number is
# every device's hours together, not the wall-clock time.
DEVICE_HOURS_LABEL = re.compile(r"(?i)(?:gpu|tpu|accelerator|chip|device)[ \t-]*h(?:ou)?rs?\b")
_HEADING = re.compile(r"(#{1,6})[ \t]")


class TimeLine(Record):
    hours: float
    hardware: str  # the text after "on" ("" when the line names none)
    line: int  # in the file


class Stated(Record):
    value: float
    line: int  # in the file
    text: str  # as written


def body_of(context: Context) -> Any:
    """The card's body as the prose reader sees it (code and comments blanked, offsets kept,
    read up to the same MAX_BODY_CHARS); None when it holds nothing these readers look for."""
    body = context.body  # the prose reader's: one per card
    # The readers look for these in the same blanked text: without them, there is nothing.
    if "ime" not in body.text and "hour" not in body.folded:
        return None
    return body


def time_lines(context: Context, body: Any) -> list[TimeLine]:
    """Each "Time: ... hours on ..." line of ``body`` (:func:`body_of`), with its hours and
    hardware."""
    if body is None or "ime" not in body.text:
        return []
    from carbonlint.estimate import duration_in_text, remove_duration

    found = []
    for match in _TIME_LINE.finditer(body.text):
        value = match[1]
        hours = duration_in_text(value)
        if hours is None:
            continue
        rest = remove_duration(value)
        on = re.search(r"(?i)\bon\b", rest)
        line = body.located(match.start(1), match.start(1))[1].line
        found.append(TimeLine(hours, rest[on.end():].strip(" .") if on else "", line))
    return found


def device_hours(context: Context, body: Any) -> Stated | None:
    """Device-hours ``body`` (:func:`body_of`) states about the card's own run (one figure,
    however often repeated), or None. A statement about the base model, inference or a
    comparison is not the run's; in a fine-tune's card (base_model) only the environmental
    section speaks for it."""
    if body is None or "hour" not in body.folded:
        return None
    from carbonlint.prose.body import finditer_in_lines

    section = _environmental_lines(context)
    found: dict[float, Stated] = {}
    # A figure lies within a line and holds "hour": only those lines are scanned.
    for match in finditer_in_lines(_DEVICE_HOURS, body.text, body.lines_holding("hour")):
        number, scale = (match[1], match[2]) if match[1] else (match[3], match[4])
        value = float(number.replace(",", "")) * _SCALE.get((scale or "").lower(), 1)
        if value > 0 and value not in found and _about_own_run(context, body, section,
                                                               match.start(), match.end()):
            text, span = body.located(match.start(), match.end())
            found[value] = Stated(value, span.line, text.strip())
            if len(found) > 1:
                return None  # two different figures: no guess
    return next(iter(found.values())) if found else None


def _about_own_run(context: Context, body: Any, section: range, start: int, end: int) -> bool:
    from carbonlint.prose.model import Fact
    from carbonlint.prose.scope import cues

    text, span = body.located(start, end)
    scope = cues(body, start, end)
    if span.line in section:
        scope |= {"environmental"}
    return bool(context.own_run(Fact("hours", None, text, None, None, "free-text", None, span,
                                     scope)))


def _environmental_lines(context: Context) -> range:
    """The file lines under the card's environmental heading, up to the next heading of the
    same or a higher level (empty without one)."""
    heading = context.prose.environmental_section
    lines = context.card.lines()
    if heading is None or heading.line > len(lines):
        return range(0)
    opening = _HEADING.match(lines[heading.line - 1].lstrip())
    level = len(opening[1]) if opening else 6
    for number in range(heading.line + 1, len(lines) + 1):
        found = _HEADING.match(lines[number - 1])
        if found and len(found[1]) <= level:
            return range(heading.line + 1, number)
    return range(heading.line + 1, len(lines) + 1)


def durations_beside(context: Context, facts: list[Any]) -> dict[float, Any]:
    """The one duration on each line where a fact stands, in hours, with the first such fact;
    at most two (two different durations already say no single one is the run's)."""
    if not facts:
        return {}
    from carbonlint.estimate import duration_in_text

    lines = context.card.lines()
    found: dict[float, Any] = {}
    for fact in facts:
        line = fact.span.line
        hours = duration_in_text(lines[line - 1]) if 0 < line <= len(lines) else None
        if hours is not None and hours > 0:
            found.setdefault(hours, fact)
            if len(found) > 1:
                break
    return found


def count_for(device: Hardware, stated: list[tuple[Hardware, Any]]) -> Any:
    """Where the text gives ``device`` (named without its count) its count: the one count
    stated for its family ("trained on 16 NVIDIA A100"), as the ``(Hardware, where)`` pair
    that states it; None when the text gives none or several."""
    from carbonlint.estimate import family

    if device.count_given:
        return None
    same = [(h, where) for h, where in stated
            if h.count_given and h.kind == device.kind and family(h.matched) == family(device.matched)]
    return same[0] if len({h.count for h, _ in same}) == 1 else None
