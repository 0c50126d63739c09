"""Consistency rules (CL3xx): the metadata against the card's own text.

The most common real error on the Hub is a number that the card's own prose contradicts, above
all the kilogram figure typed into the grams field. Every rule here stays quiet unless the text
clearly says something else: a single statement that agrees (within the rounding the text was
written with) silences it, and free prose is only trusted where it is unambiguous.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from carbonlint.card import CO2_KEY
from carbonlint.findings import Category, Problem, Severity
from carbonlint.placeholders import is_placeholder
from carbonlint.rules import check, rule
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
    emissions value of 0 counts as reported, but it is questioned.
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
    agree; "East US" and "Virginia" are both the United States).
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
    A100s), not by count.
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
    magnitude. The metadata and the text must agree.
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
    return f"'{fact.field}: {fact.text}'" if fact.field else f"'{fact.text}'"



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
        # field), not for a plain disagreement: "For comparison, BERT emitted 652 kg of CO2"
        # names another model's footprint as often as this one's.
        return
    fact = structured[0]
    yield Problem(
        "CL301",
        f"{key} is {format_grams(grams)} g, but the text on line {_line(fact)} says "
        f"{_quote(fact)} ({format_grams(float(fact.value))} g)",
        span=span, key=key,
        suggestion="correct whichever of the two is wrong, so that both give the same number",
    )


def _number_fix(context: Context, number: str) -> Any:
    from carbonlint.fix import emissions_number_fix

    return emissions_number_fix(context, number)


def _unit_name(unit: str | None) -> str:
    return {"kg": "kilogram", "t": "tonne", "kt": "kilotonne"}.get(unit or "", unit or "")


@check("CL303")
def zero_emissions(context: Context) -> Iterator[Problem]:
    if context.emissions_g != 0:
        return
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
             and not is_placeholder(f.value)]
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
    if mine_text is None or fact is None:
        return
    mine, theirs = _families(mine_text), _families(str(fact.value))
    if not mine or not theirs or mine & theirs:
        return
    yield _disagreement(context, "CL305", "hardware_used", mine_text, fact)


@check("CL306")
def training_type_against_text(context: Context) -> Iterator[Problem]:
    from carbonlint.rules.values import canonical_training_type

    co2 = context.card.co2
    value = co2.get("training_type") if isinstance(co2, dict) else None
    mine = canonical_training_type(value) if isinstance(value, str) else None
    if mine is None:
        return
    for fact in context.prose.of("training_type"):
        theirs = canonical_training_type(str(fact.value))
        if theirs is not None and theirs != mine:
            yield _disagreement(context, "CL306", "training_type", value, fact)
            return

