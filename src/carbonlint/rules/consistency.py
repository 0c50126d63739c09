"""Consistency rules (CL3xx): the metadata against the card's own text.

The most common real error on the Hub is a number that the card's own prose contradicts, above
all the kilogram figure typed into the grams field. Every rule here stays quiet unless the text
clearly says something else: a single statement that agrees (within the rounding the text was
written with) silences it, and free prose is only trusted where it is unambiguous.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterator

from carbonlint.card import CO2_KEY
from carbonlint.findings import Category, Problem, Severity
from carbonlint.placeholders import is_placeholder
from carbonlint.rules import check, rule
from carbonlint.stated import under_foreign_label
from carbonlint.units import GRAMS_PER_UNIT, format_grams

if TYPE_CHECKING:
    from carbonlint.checker import Context
    from carbonlint.prose import Fact

C, E, W = Category.CONSISTENCY, Severity.ERROR, Severity.WARNING

rule(
    "CL301", "emissions-disagree-with-text", C, W,
    "The emissions in the metadata disagree with the figure the card's text gives.",
    """
    The card states its emissions twice, in co2_eq_emissions and in its text (AutoTrain's "CO2
    Emissions (in grams)" line, the template's "Carbon Emitted", a sentence), and the two differ by
    more than the rounding the text was written with (AutoTrain rounds to 4 decimals: 3.7680 in
    the text agrees with 3.7679548759427006 in the metadata). At least one of them is wrong.
    Only the structured lines count here: free prose names other models' footprints as often as
    this one's ("For comparison, GPT-3 emitted 552 tonnes"), so it is used only to catch the unit
    slip (CL302).
    """,
    failing="""
    ---
    co2_eq_emissions: 1250
    ---

    - CO2 Emissions (in grams): 893.2000
    """,
    passing="""
    ---
    co2_eq_emissions: 893.2
    ---

    - CO2 Emissions (in grams): 893.2000
    """,
)

rule(
    "CL302", "kilograms-in-grams-field", C, E,
    "The metadata holds the kilogram (or tonne) figure of the text in the grams field.",
    """
    The spec's unit is grams, but the card's text gives the emissions in kilograms or tonnes and
    the metadata repeats the bare number: "5.6 KgCO2" in the text, emissions: 5.6 in the metadata,
    a thousand times too little. The finding gives the value in grams, and carbonlint fix writes
    it: the card's own text confirms the unit.

    Unless the physics says otherwise: when the card names its devices with their count and the
    hours, and the text's figure in grams is beyond the plausibility factor above what that
    hardware can emit in those hours ("12.5 kg" for one A100 for two hours, about 370 g), the
    slip is not asserted and nothing is written: CL301 says that the two figures disagree, and
    gives the estimate, which may fit neither.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 5.6
    ---

    Training emitted 5.6 KgCO2 on one A100.
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 5600
    ---

    Training emitted 5.6 KgCO2 on one A100.
    """,
    fixable=True,
)

rule(
    "CL303", "zero-emissions", C, W,
    "The emissions are 0 although the card shows that training happened.",
    """
    A zero is a measurement that failed (a tracker that never started, a rounded-down kilogram
    figure) when the same card names the hardware, the hours, the energy or a measuring tool. An
    emissions value of 0 counts as reported, but it is questioned. A card that says no training
    ran ("No training or fine-tuning is performed", in its source or its text) is right to
    report 0, and gets nothing: a negated statement is not evidence of training.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 0
      source: CodeCarbon
      hardware_used: 1 x A100
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 41.3
      source: CodeCarbon
      hardware_used: 1 x A100
    ---
    """,
)

rule(
    "CL304", "location-disagrees-with-text", C, W,
    "geographical_location names another country (or cloud region) than the card's text.",
    """
    The location decides the grid's carbon intensity, so a card that says "Compute Region:
    us-east-1" in its text and geographical_location: France in its metadata cannot be checked:
    one of the two is wrong. Locations are compared after resolving both (a city and its country
    agree; "East US" and "Virginia" are both the United States). A place in parentheses after
    the run's emissions figure ("Emissions: 0.15 KgCO2 (Singapore)") counts when that figure is
    a structured line or the metadata's own number; after another figure it does not.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      geographical_location: France
    ---

    - **Compute Region:** Germany
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      geographical_location: Frankfurt, Germany
    ---

    - **Compute Region:** Germany
    """,
)

rule(
    "CL305", "hardware-disagrees-with-text", C, W,
    "hardware_used names other devices than the card's text.",
    """
    The metadata says one accelerator, the text ("Hardware Type:", "GPU Model:") another: a copied
    card, or a stale one. Devices are compared by model (an A100 40GB and an A100 80GB are both
    A100s). cpu_model is compared with the text's "CPU Model:" line by model number (8370C,
    7763, i7-13700K; the clock speed is ignored). When hardware_used writes no count and the
    text's line gives more than one of the same device ("8 x A100"), the finding asks for the
    count: a reader and the estimate take one device. Different counts are not compared.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      hardware_used: 8 x V100
    ---

    - **Hardware Type:** 8 x A100 80GB
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      hardware_used: 8 x A100 80GB
    ---

    - **Hardware Type:** 8 x A100 80GB
    """,
)

rule(
    "CL306", "training-type-disagrees-with-text", C, W,
    "training_type says pre-training where the text says fine-tuning, or the reverse.",
    """
    Whether the number covers pre-training or only a fine-tune changes its meaning by orders of
    magnitude. The metadata and the text must agree: a "Training type:" line, or a sentence that
    says it of this model ("This model is a fine-tuned version of bert-base", "A fine-tuned
    ResNet50 ...", "This model was trained from scratch"). When the text says both, nothing is
    reported.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      training_type: pre-training
    ---

    - **Training type:** fine-tuning
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      training_type: fine-tuning
    ---

    - **Training type:** fine-tuning
    """,
)


rule(
    "CL307", "energy-disagrees-with-text", C, W,
    "energy_consumed disagrees with the energy the card's text gives for the run.",
    """
    energy_consumed (kWh) and the text ("Energy Consumed: 0.0013 kWh", "we used 433 MWh to
    train this model") give the same run's energy twice, and the two differ by more than the
    rounding the text was written with. A factor of a thousand is named: a watt-hour figure in
    the kilowatt-hour field, or the reverse. Free prose counts only where the sentence is about
    this model and gives one figure, as for CL301.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 0.62
      energy_consumed: 1.3
    ---

    - **Energy Consumed**: 0.0013 kWh
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 0.62
      energy_consumed: 0.0013
    ---

    - **Energy Consumed**: 0.0013 kWh
    """,
)

rule(
    "CL308", "stale-text", C, Severity.INFO,
    "The text still says the emissions (or energy) are to come, but the metadata gives them.",
    """
    A card written before its numbers were known says "Estimated carbon emissions:
    (Forthcoming.)", "Carbon Emitted: TBD" or the template's "[More Information Needed]"; later
    co2_eq_emissions (or energy_consumed) was filled and the text was not. A reader of the card
    sees no figure, or sees that there is none yet. Write the figure into the text too.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 24700000
    ---

    Estimated carbon emissions: (Forthcoming.)
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 24700000
    ---

    Estimated carbon emissions: 24.7 tonnes of CO2eq
    """,
)


def _tolerance(fact: Fact) -> float:
    """How far a value may be from the text's figure and still be the same number (grams).

    Half a unit of the last digit the text wrote (3.7680 g: 0.00005 g; 24.7 tonnes: 50 kg), and
    never less than 0.5% of the figure (texts round in other ways too: "about 25 tonnes").
    """
    unit = GRAMS_PER_UNIT.get(fact.unit or "g", 1.0)
    half_digit = 0.5 * 10 ** -(fact.decimals or 0) * unit if fact.decimals is not None else 0.0
    return max(half_digit, 0.005 * abs(float(fact.value)), 1e-12)


def agrees(grams: float, fact: Fact) -> bool:
    return abs(grams - float(fact.value)) <= _tolerance(fact)


def _line(fact: Fact) -> int:
    return fact.span.line


def _quote(fact: Fact) -> str:
    """The statement as the card writes it: "'Carbon Emitted: 12.5 kg CO2eq'"."""
    return f"'{fact.written_label}: {fact.text}'" if fact.field else f"'{fact.text}'"



@check("CL301", "CL302")
def emissions_against_text(context: Context) -> Iterator[Problem]:
    grams = context.emissions_g
    facts = [f for f in context.prose.of("emissions_g") if isinstance(f.value, (int, float))]
    if grams is None or not facts or any(agrees(grams, f) for f in facts):
        return
    span, key, _ = context.emissions_place()
    # The unit slip: the number as written in the text, with its unit dropped.
    for fact in facts:
        factor = GRAMS_PER_UNIT.get(fact.unit or "g", 1.0)
        if factor > 1 and grams > 0 and agrees(grams * factor, fact):
            doubt = _physics_doubts(context, grams * factor)
            if doubt is not None:
                # The text's unit read into the metadata would be more than the hardware can
                # emit in its hours: no slip asserted, and no fix writes that number.
                yield Problem(
                    "CL301",
                    f"{key} is {format_grams(grams)} g, but the text on line {_line(fact)} says "
                    f"{_quote(fact)} ({format_grams(float(fact.value))} g); {doubt}",
                    span=span, key=key,
                    suggestion="correct whichever of the two is wrong (perhaps both), so that "
                    "both give the same number",
                )
                return
            # The metadata's own digits in the text's unit: 5.61 with "5.6 kg" in the text is 5610.
            corrected = format_grams(grams * factor)
            yield Problem(
                "CL302",
                f"{key} is {format_grams(grams)} g, but the text on line {_line(fact)} says "
                f"{_quote(fact)} ({format_grams(float(fact.value))} g): the "
                f"{_unit_name(fact.unit)} figure is in the grams field",
                span=span, key=key, suggestion=f"write {corrected}",
                fix=_number_fix(context, corrected),
            )
            return
    structured = [f for f in facts if f.source != "free-text"]
    if not structured:
        # Free prose is trusted for the unit slip above (its own number, repeated in the grams
        # field); for a plain disagreement only when the sentence is plainly about this run
        # and the text gives one figure: "For comparison, BERT emitted 652 kg of CO2" names
        # another model's footprint as often as this one's.
        structured = this_run_figures(context, facts)
    if not structured:
        return
    fact = structured[0]
    yield Problem(
        "CL301",
        f"{key} is {format_grams(grams)} g, but the text on line {_line(fact)} says "
        f"{_quote(fact)} ({format_grams(float(fact.value))} g)",
        span=span, key=key,
        suggestion="correct whichever of the two is wrong, so that both give the same number",
    )


def _physics_doubts(context: Context, corrected: float) -> str | None:
    """Why the text's figure cannot be the card's grams, when the card's hardware (every device
    named with its count) and hours put the training far below it; None otherwise."""
    estimate = context.estimate
    if estimate is None or not estimate.exact or estimate.high <= 0:
        return None
    factor = context.config.plausibility_factor
    if corrected <= estimate.high * factor:
        return None
    fits = ("which fits the metadata" if estimate.low / factor <= context.emissions_g <= estimate.high * factor
            else "which fits neither")
    return (f"the card's hardware and hours give about {_about(estimate.grams)} g, {fits}: "
            "the text's figure is not read into the grams field")


def _about(grams: float) -> str:
    """An estimate to two significant figures: "about 370 g", not "about 370.5 g"."""
    import math

    if grams < 10:
        return f"{grams:.2g}"
    return f"{round(grams, 1 - int(math.floor(math.log10(grams)))):,.0f}"


# A sentence about this run: "we", "this model", "training this model", "our fine-tuning run".
_THIS_RUN = re.compile(
    r"\bwe\b|\b(?:this|our)[ \t]+(?:model|run|training|fine-?tuning|experiment)"
    r"|\b(?:training|fine-?tuning)[ \t]+(?:of[ \t]+)?(?:this|the)[ \t]+model", re.IGNORECASE)
# ... and not a comparison with something else.
_COMPARISON = re.compile(
    r"compar|equivalent|versus|\bvs\b|\bthan\b|\blike\b|similar|\bwhereas\b|\bwhile\b"
    r"|\bcars?\b|flights?\b|household|average|per[ \t]+year|annual|original|base[ \t]+model"
    r"|reported[ \t]+by|paper", re.IGNORECASE)


def _line_text(context: Context, line: int) -> str:
    lines = context.card.lines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def this_run_figures(context: Context, facts: list[Fact]) -> list[Fact]:
    """Free-text figures that are this run's: on a line that speaks of this model or "we",
    without a comparison, and all the same figure (two different ones: which is it?)."""
    chosen = [f for f in facts if f.source == "free-text"
              and _THIS_RUN.search(line := _line_text(context, _line(f)))
              and not _COMPARISON.search(line)]
    if not chosen or any(not agrees(float(f.value), chosen[0])
                         and not agrees(float(chosen[0].value), f) for f in chosen[1:]):
        return []
    return chosen


def _number_fix(context: Context, number: str) -> Any:
    from carbonlint.fix import emissions_number_fix

    return emissions_number_fix(context, number)


def _unit_name(unit: str | None) -> str:
    return {"kg": "kilogram", "t": "tonne", "kt": "kilotonne"}.get(unit or "", unit or "")


def nothing_trained(context: Context) -> str | None:
    """Where the card says that no training ran ("No training or fine-tuning is performed"), in
    its source or its text; None when it does not."""
    from carbonlint.prose.statements import says_nothing_was_trained

    co2 = context.card.co2 if isinstance(context.card.co2, dict) else {}
    source = co2.get("source")
    if isinstance(source, str) and says_nothing_was_trained(source):
        return f"source: {source}"
    fact = next(iter(context.prose.of("no_training")), None)
    return f"{_quote(fact)} on line {_line(fact)}" if fact is not None else None


@check("CL303")
def zero_emissions(context: Context) -> Iterator[Problem]:
    if context.emissions_g != 0:
        return
    if nothing_trained(context) is not None:
        return  # nothing was trained, and zero is what that emits
    if context.estimate is not None and context.config.enabled("CL403", context.card.path):
        return  # CL403 says the same with the estimate's numbers
    co2 = context.card.co2 if isinstance(context.card.co2, dict) else {}
    evidence = []
    source = co2.get("source")
    if isinstance(source, str) and source.strip() and not is_placeholder(source):
        evidence.append(f"source: {source}")
    if context.hardware is not None:
        evidence.append(f"hardware: {context.hardware}")
    for key, unit in (("hours_used", "h"), ("energy_consumed", "kWh")):
        value = co2.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            evidence.append(f"{key}: {value:g} {unit}")
    for kind, unit in (("hours", "h"), ("energy_kwh", "kWh")):
        fact = next((f for f in context.prose.of(kind) if isinstance(f.value, (int, float))
                     and f.value > 0), None)
        if fact is not None:
            evidence.append(f"{_quote(fact)} on line {_line(fact)}")
    if not evidence:
        return
    span, key, _ = context.emissions_place()
    yield Problem(
        "CL303",
        f"{key} is 0, yet the card shows that training ran ({'; '.join(evidence)}); a zero is "
        "usually a measurement that failed",
        span=span, key=key,
        suggestion="measure again (CodeCarbon), or remove co2_eq_emissions until it is known",
    )


def _place(grid: Any) -> str | None:
    """The comparable place of a resolved location: its country; for a cloud region whose
    country the tables do not know, the region itself (then only compared with regions)."""
    country = getattr(grid, "country", "")
    if country:
        return str(country)
    return None if ":" in grid.zone else grid.zone.split("-")[0]


def _disagreement(context: Context, code: str, field: str, written: str, fact: Fact,
                  mine: str = "", theirs: str = "") -> Problem:
    """CL304-CL306: a metadata field and a statement of the text that say different things;
    ``mine`` and ``theirs`` say how each was understood (" (France)")."""
    return Problem(
        code,
        f"{field} '{written}'{mine} disagrees with the text on line {_line(fact)}: "
        f"{_quote(fact)}{theirs}",
        span=context.card.span_of(CO2_KEY, field), key=f"{CO2_KEY}.{field}",
        suggestion="correct whichever of the two is wrong",
    )


@check("CL304")
def location_against_text(context: Context) -> Iterator[Problem]:
    co2 = context.card.co2
    location = co2.get("geographical_location") if isinstance(co2, dict) else None
    facts = [f for f in context.prose.of("location") if isinstance(f.value, str)
             and not is_placeholder(f.value) and _about_this_run(context, f)]
    if not isinstance(location, str) or is_placeholder(location) or not facts:
        return
    from carbonlint.estimate import grid_intensity

    mine = grid_intensity(location)
    if mine.fallback:
        return
    places = [(f, grid_intensity(f.value)) for f in facts]
    comparable = [(f, g) for f, g in places if not g.fallback and _place(g) and _place(mine)]
    if not comparable or any(_place(g) == _place(mine) for _, g in comparable):
        return
    fact, theirs = comparable[0]
    yield _disagreement(context, "CL304", "geographical_location", location, fact,
                        f" ({mine.name})", f" ({theirs.name})")


def _about_this_run(context: Context, fact: Fact) -> bool:
    """A location line counts; a place in parentheses after a figure ("0.15 KgCO2 (Singapore)")
    only when that figure is this run's: a structured line, or the metadata's own number."""
    if fact.source != "after-figure":
        return True
    grams = context.emissions_g
    for figure in context.prose.of("emissions_g"):
        if figure.span.line == fact.span.line and figure.span.end_column <= fact.span.column:
            if figure.source != "free-text":
                return True
            if grams is not None and isinstance(figure.value, (int, float)) and (
                    agrees(grams, figure) or _unit_slip(grams, figure)):
                return True
    return False


def _unit_slip(grams: float, fact: Fact) -> bool:
    factor = GRAMS_PER_UNIT.get(fact.unit or "g", 1.0)
    return factor > 1 and grams > 0 and agrees(grams * factor, fact)


_FORM_TOKENS = frozenset({"sxm", "sxm2", "sxm3", "sxm4", "sxm5", "pcie", "nvl", "hbm2", "hbm2e"})


def _families(text: str) -> set[str]:
    """Device models without memory size or form factor: 'a100', 'rtx 3090', 'tpu v3'."""
    from carbonlint.estimate import parse_hardware

    families = set()
    for device in parse_hardware(text):
        tokens = [t for t in device.matched.split() if t not in _FORM_TOKENS
                  and not (t.endswith("gb") and t[:-2].isdigit())]
        families.add(" ".join(tokens))
    return families


@check("CL305")
def hardware_against_text(context: Context) -> Iterator[Problem]:
    mine_text = context.metadata_hardware
    fact = context.prose_hardware
    if mine_text is not None and fact is not None:
        mine, theirs = _families(mine_text), _families(str(fact.value))
        if mine and theirs and not mine & theirs:
            yield _disagreement(context, "CL305", "hardware_used", mine_text, fact)
        elif mine and mine == theirs:
            count = _count_left_out(mine_text, str(fact.value))
            if count is not None:
                yield Problem(
                    "CL305",
                    f"hardware_used '{mine_text}' gives no count, but the text on line "
                    f"{_line(fact)} says {_quote(fact)}: {count} devices, where a reader (and "
                    "the estimate) takes one",
                    span=context.card.span_of(CO2_KEY, "hardware_used"),
                    key=f"{CO2_KEY}.hardware_used",
                    suggestion=f"write '{_clean_value(str(fact.value))}'",
                )
    yield from _cpu_against_text(context)


# A count written before the device ("8 x A100", "8 A100s") or after it ("A100 x 8").
_COUNT_BEFORE = re.compile(r"^\s*(?P<n>[0-9]{1,5})\s*(?:[x\u00d7*]\s*)?(?=[a-z])", re.IGNORECASE)
_COUNT_AFTER = re.compile(r"[x\u00d7*]\s*(?P<n>[0-9]{1,5})\s*$", re.IGNORECASE)


def _written_count(text: str) -> int | None:
    match = _COUNT_BEFORE.match(text) or _COUNT_AFTER.search(text)
    return int(match["n"]) if match else None


def _count_left_out(mine: str, theirs: str) -> int | None:
    """The text's device count (more than one) when the metadata writes none; else None."""
    if _written_count(mine) is not None or "," in mine or "+" in mine or " and " in mine:
        return None  # a count, or several kinds of device: not this slip
    count = _written_count(theirs)
    return count if count is not None and count > 1 else None


def _clean_value(text: str) -> str:
    return text.strip(" \t*_`")


# CPU model numbers: "i7-13700K", "Xeon Platinum 8370C", "EPYC 7763", "E5-2698 v4", "Apple M2".
_CPU_WORDS = re.compile(r"intel|amd|xeon|epyc|ryzen|core|threadripper|apple|cpu|arm|graviton",
                        re.IGNORECASE)
_CPU_NUMBER = re.compile(r"\b(?:[a-z]{1,3}[0-9]?-)?[0-9]{4,5}[a-z]{0,2}\b|\bm[1-9]\b", re.IGNORECASE)


def _cpu_numbers(text: str) -> set[str]:
    if not _CPU_WORDS.search(text):
        return set()
    without_clock = re.sub(r"@?\s*[0-9.]+\s*[gm]hz", " ", text, flags=re.IGNORECASE)
    return {m.group().lower() for m in _CPU_NUMBER.finditer(without_clock)}


def _cpu_against_text(context: Context) -> Iterator[Problem]:
    """cpu_model (Sentence-Transformers, SetFit) against the text's "CPU Model:" line."""
    co2 = context.card.co2
    cpu = co2.get("cpu_model") if isinstance(co2, dict) else None
    if not isinstance(cpu, str) or is_placeholder(cpu):
        return
    fact = next((f for f in context.prose.of("hardware") if f.field == "CPU Model"
                 and isinstance(f.value, str)), None)
    if fact is None:
        return
    mine, theirs = _cpu_numbers(cpu), _cpu_numbers(str(fact.value))
    if mine and theirs and not mine & theirs:
        yield _disagreement(context, "CL305", "cpu_model", cpu, fact)


@check("CL306")
def training_type_against_text(context: Context) -> Iterator[Problem]:
    from carbonlint.rules.values import canonical_training_type

    co2 = context.card.co2
    value = co2.get("training_type") if isinstance(co2, dict) else None
    mine = canonical_training_type(value) if isinstance(value, str) else None
    if mine is None:
        return
    said = [(fact, canonical_training_type(str(fact.value)))
            for fact in context.prose.of("training_type")]
    said = [(fact, theirs) for fact, theirs in said if theirs is not None]
    if any(theirs == mine for _, theirs in said):
        return  # the text says both somewhere: not clear enough to contradict the metadata
    for fact, theirs in said:
        yield _disagreement(context, "CL306", "training_type", value, fact,
                            theirs=f" ({theirs})" if fact.field is None else "")
        return


_KWH_PER_UNIT = {"Wh": 1e-3, "kWh": 1.0, "MWh": 1e3, "GWh": 1e6, "TWh": 1e9}


def _energy_agrees(kwh: float, fact: Fact) -> bool:
    unit = _KWH_PER_UNIT.get(fact.unit or "kWh", 1.0)
    half_digit = 0.5 * 10 ** -(fact.decimals or 0) * unit if fact.decimals is not None else 0.0
    tolerance = max(half_digit, 0.005 * abs(float(fact.value)), 1e-12)
    return abs(kwh - float(fact.value)) <= tolerance


@check("CL307")
def energy_against_text(context: Context) -> Iterator[Problem]:
    from carbonlint.units import finite_number

    co2 = context.card.co2
    kwh = finite_number(co2.get("energy_consumed")) if isinstance(co2, dict) else None
    facts = [f for f in context.prose.of("energy_kwh") if isinstance(f.value, (int, float))]
    if kwh is None or not facts or any(_energy_agrees(kwh, f) for f in facts):
        return
    said = [f for f in facts if f.source != "free-text"]
    if not said:
        chosen = [f for f in facts if _THIS_RUN.search(line := _line_text(context, _line(f)))
                  and not _COMPARISON.search(line)]
        if chosen and all(_energy_agrees(float(f.value), chosen[0]) for f in chosen[1:]):
            said = chosen
    if not said:
        return
    fact = said[0]
    theirs = float(fact.value)
    slip = ""
    if theirs > 0 and kwh > 0:
        if _energy_agrees(kwh / 1000, fact):
            slip = ": a thousand times more, a watt-hour figure in the kilowatt-hour field?"
        elif _energy_agrees(kwh * 1000, fact):
            slip = ": a thousand times less, a megawatt-hour figure in the kilowatt-hour field?"
    key = f"{CO2_KEY}.energy_consumed"
    yield Problem(
        "CL307",
        f"{key} is {format_grams(kwh)} kWh, but the text on line {_line(fact)} says "
        f"{_quote(fact)} ({format_grams(theirs)} kWh){slip}",
        span=context.card.span_of(CO2_KEY, "energy_consumed"), key=key,
        suggestion="correct whichever of the two is wrong (energy_consumed is in kWh)",
    )


_STALE_FIELDS = {"Carbon Emitted": "emissions", "CO2 Emissions": "emissions",
                 "Energy Consumed": "energy_consumed"}


@check("CL308")
def stale_text(context: Context) -> Iterator[Problem]:
    placeholders = [f for f in context.prose.of("placeholder") if f.field in _STALE_FIELDS
                    # not another model's block: "### DALL·E Mega Estimated Emissions ...
                    # Carbon Emitted: Unknown" in the DALL·E Mini card is not stale
                    and not under_foreign_label(f, context.foreign_subjects)]
    if not placeholders:
        return
    from carbonlint.units import finite_number

    co2 = context.card.co2
    for fact in placeholders:
        if _STALE_FIELDS[fact.field or ""] == "emissions":
            if context.emissions_g is None:
                continue
            given = f"co2_eq_emissions gives {format_grams(context.emissions_g)} g"
        else:
            kwh = finite_number(co2.get("energy_consumed")) if isinstance(co2, dict) else None
            if kwh is None:
                continue
            given = f"energy_consumed gives {format_grams(kwh)} kWh"
        what = _STALE_FIELDS[fact.field or ""]
        # A field left empty ("- **Carbon Emitted:**") gives nothing to quote.
        says = (f"gives the {what} as '{fact.value}'" if fact.text.strip()
                else f"leaves the {what} empty")
        yield Problem(
            "CL308",
            f"the text on line {_line(fact)} still {says}, but {given}",
            span=fact.span, suggestion="write the figure into the text too",
        )
