"""Physical plausibility estimate: hardware power x hours x PUE x grid intensity.

This is the method of the ML CO2 Impact calculator (Lacoste et al. 2019), Green Algorithms
(Lannelongue et al. 2021) and "Counting Carbon" (Luccioni & Hernandez-Garcia 2023): the
energy drawn by the accelerators at their rated power, scaled by the data centre's PUE and
multiplied by the carbon intensity of the local grid. It is an order-of-magnitude check, not a
measurement (see docs/estimator.md).

The tables in ``carbonlint/data/`` are built by ``scripts/build_tables.py`` and read lazily,
once, on first use: importing this module costs no I/O, because it sits on the start-up path
of the pre-commit hook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, NamedTuple


class Hardware(NamedTuple):
    """``count`` devices of one kind, at ``watts_each`` (TDP, or measured average for TPUs)."""

    count: int
    name: str
    kind: str  # "gpu" | "tpu" | "cpu"
    watts_each: float
    matched: str  # the table key it matched

    @property
    def watts(self) -> float:
        return self.count * self.watts_each


class GridMatch(NamedTuple):
    g_per_kwh: float
    name: str
    source: str
    fallback: bool  # True when the location was unknown and the world average is used
    zone: str = ""  # table id: "FR", "US-CA", "aws:us-east-1", "WORLD"
    country: str = ""  # ISO 3166-1 alpha-2 of the zone ("US" for "East US"); "" for WORLD


class Estimate(NamedTuple):
    grams: float
    kwh: float  # energy including PUE
    watts: float  # total rated power; 0 when the energy was given directly
    hours: float  # wall-clock hours; 0 when the energy was given directly
    pue: float
    grid: GridMatch
    arithmetic: str


# A hardware name, a duration or a location is a few words: text longer than this is not one, and
# is not parsed (the name patterns backtrack on long runs of digits or spaces). The largest
# training clusters have some 100,000 devices; a bigger "count" is not a count.
MAX_FIELD_CHARS = 400
MAX_DEVICES = 1_000_000

# --------------------------------------------------------------------------- tables


@lru_cache(maxsize=None)
def _table(name: str) -> dict[str, Any]:
    # Imported here, not at module level: json is only needed once a card asks for an estimate.
    import json

    from carbonlint.resources import read_text

    return json.loads(read_text("data", name))


def _grid_table() -> dict[str, Any]:
    return _table("grid_intensity.json")


def _hardware_table() -> dict[str, Any]:
    return _table("hardware_power.json")


def _cpu_table() -> dict[str, Any]:
    return _table("cpu_power.json")


# --------------------------------------------------------------------------- hardware

# Words that name a vendor, a product line or the device class but never tell two models
# apart ("NVIDIA Tesla T4" and "T4" are the same card).
_NOISE = frozenset(
    "nvidia geforce tesla quadro amd radeon intel gigabyte oc gpu gpus graphics card cards "
    "chip chips device devices accelerator accelerators pascal gtx cpu cpus processor the a an "
    "of with vm cloud google colab".split()
)
# Form factors change the rated power (A100 PCIe 250-300 W, SXM 400 W); generations of the
# SXM socket and NVLink boards are all the high-power variant.
_FORMS = {
    "pcie": "pcie",
    "pci": "pcie",
    "sxm": "sxm",
    "sxm2": "sxm",
    "sxm3": "sxm",
    "sxm4": "sxm",
    "sxm5": "sxm",
    "nvlink": "sxm",
    "nvl": "nvl",
}
_FORM_VALUES = frozenset(_FORMS.values())
# Suffixes that make a different product with a different TDP (2080 vs 2080 Ti, M1 vs M1 Max):
# text and table entry must agree on them exactly.
_QUALIFIERS = frozenset("ti super max pro ultra xt mobile laptop".split())
_CPU_FAMILIES = frozenset(
    "xeon epyc core ryzen threadripper opteron athlon celeron pentium atom phenom turion "
    "sempron apple".split()
)
_CPU_CONTEXT = _CPU_FAMILIES | {"cpu", "cpus", "processor", "intel", "i3", "i5", "i7", "i9"}
_GPU_CONTEXT = frozenset("nvidia geforce gpu gpus radeon quadro tesla rtx gtx".split())
# v2, v3 and v4 slice names count TensorCores, two per chip: a "v3-8" has 4 chips.
# (Google Cloud TPU documentation, "System architecture".)
_TPU_CORES_PER_CHIP = 2

# Patterns are plain strings: the re module compiles and caches them on first use, which keeps
# the import of this module cheap.
_SEGMENTS = r"(?i)\s*(?:\+|;|,|&|\|+|\band\b)\s*"
_MEMORY = r"\d+gb"
_LEADING_COUNT = r"^(\d+)\s*(?:[x×*](?=\s|\d|[a-z]\d)\s*|\s+)"
_TRAILING_COUNT = r"(?<![a-z0-9])[x×*]\s*(\d+)\s*\)?\s*$"
# "1 TPU v3" names a device, so only the plural "TPUs" counts; "SXM2 GPU" is not 2 GPUs.
_UNIT_COUNT = r"(?<![a-z0-9.])(\d+)\s*(?:chips?|gpus?|tpus|devices?|cards?|accelerators?)\b"
_TPU_VERSION = r"\bv(\d+)([a-z]*)(?:\s*-\s*(\d+))?"


def _clean(text: str) -> str:
    """Lower-case and glue the spellings that vary ("80 GB", "TPUv3", "RTX3090") together."""
    t = text.lower()
    t = re.sub(r"\((?:r|tm)\)|[®™]", " ", t)
    t = re.sub(r"@?\s*\d+(?:\.\d+)?\s*[gm]hz\b", " ", t)  # a clock speed is not a model
    t = re.sub(r"(\d+)\s*gb\b", r"\1gb", t)
    t = re.sub(r"t?tpu\s*-?\s*(v\d)", r"tpu \1", t)
    t = re.sub(r"\b(rtx|gtx|rx)(\d)", r"\1 \2", t)
    return re.sub(r"^[^a-z0-9]+", "", t).strip()


def _raw_tokens(clean: str) -> list[str]:
    return [tok.strip(".") for tok in re.split(r"[^a-z0-9.]+", clean) if tok.strip(".")]


def _tokens(clean: str) -> list[str]:
    return [_FORMS.get(tok, tok) for tok in _raw_tokens(clean) if tok not in _NOISE]


def _is_memory(token: str) -> bool:
    return re.fullmatch(_MEMORY, token) is not None


def hardware_key(name: str) -> str:
    """The table key of a hardware name: model tokens in order, then memory, then form factor.

    ``scripts/build_tables.py`` keys the tables with this function, so that a card's text and
    a table row normalise the same way.
    """
    tokens = _tokens(_clean(name))
    memory = [t for t in tokens if _is_memory(t)]
    forms = [t for t in tokens if t in _FORM_VALUES]
    rest = [t for t in tokens if t not in memory and t not in forms]
    return " ".join(rest + memory + forms)


class _Entry(NamedTuple):
    key: str
    name: str
    kind: str
    watts: float
    required: frozenset[str]  # model tokens that the text must contain
    words: frozenset[str]  # other tokens (series, brand family): used to rank
    memory: str | None
    form: str | None
    qualifiers: frozenset[str]
    numeric_only: bool  # "3090": needs GPU context to avoid matching stray numbers


def _entry(key: str, name: str, kind: str, watts: float) -> _Entry:
    tokens = key.split()
    memory = next((t for t in tokens if _is_memory(t)), None)
    form = next((t for t in tokens if t in _FORM_VALUES), None)
    qualifiers = frozenset(t for t in tokens if t in _QUALIFIERS)
    rest = [t for t in tokens if t not in (memory, form) and t not in qualifiers]
    digits = [t for t in rest if any(c.isdigit() for c in t)]
    required = frozenset(digits or rest)
    return _Entry(
        key=key,
        name=name,
        kind=kind,
        watts=float(watts),
        required=required,
        words=frozenset(rest) - required,
        memory=memory,
        form=form,
        qualifiers=qualifiers,
        numeric_only=bool(digits) and all(t.replace(".", "").isdigit() for t in digits),
    )


@lru_cache(maxsize=None)
def _accelerators() -> tuple[_Entry, ...]:
    rows = _hardware_table()["accelerators"]
    return tuple(_entry(k, r["name"], r["kind"], r["watts"]) for k, r in sorted(rows.items()))


@lru_cache(maxsize=None)
def _cpu_index() -> dict[str, list[str]]:
    """CPU keys by each of their model-number tokens: 4,700 rows are too many to scan, or
    to turn into entries, for every card."""
    index: dict[str, list[str]] = {}
    for key in _cpu_table()["cpus"]:
        for token in key.split():
            if any(c.isdigit() for c in token):
                index.setdefault(token, []).append(key)
    return index


def _cpus(tokens: Iterable[str]) -> list[_Entry]:
    rows, index = _cpu_table()["cpus"], _cpu_index()
    keys = {key for token in tokens for key in index.get(token, ())}
    return [_entry(key, rows[key][1], "cpu", rows[key][0]) for key in sorted(keys)]


def _compatible(entry: _Entry, tokens: frozenset[str], strict_memory: bool, context: bool) -> bool:
    if not entry.required <= tokens or entry.qualifiers != tokens & _QUALIFIERS:
        return False
    if entry.numeric_only and not (context or entry.words & tokens):
        return False
    forms = tokens & _FORM_VALUES
    if entry.form and forms and entry.form not in forms:
        return False
    memories = {t for t in tokens if _is_memory(t)}
    if strict_memory and entry.memory and memories and entry.memory not in memories:
        return False
    families = tokens & _CPU_FAMILIES
    return not (entry.kind == "cpu" and families and not entry.words & families)


def _best(entries: Iterable[_Entry], tokens: frozenset[str], context: bool) -> _Entry | None:
    """The most specific compatible entry; among equally specific ones, the highest power.

    A card that names only the family ("A100") gets the family's highest-rated variant
    (A100 SXM4 80GB, 400 W): TDP is an upper bound anyway, and the big training runs that
    matter most use the SXM boards. A memory size with no table variant is tolerated
    ("A100 SXM4 40GB" -> the SXM4 entry); a form factor or a suffix such as "Ti" is not.
    """
    candidates = list(entries)
    for strict_memory in (True, False):
        fits = [e for e in candidates if _compatible(e, tokens, strict_memory, context)]
        if fits:
            return max(
                fits,
                key=lambda e: (
                    len(e.required),
                    (e.memory in tokens) + (e.form in tokens),
                    len(e.words & tokens),
                    e.watts,
                    -len(e.key),
                ),
            )
    return None


def _take_counts(clean: str) -> tuple[int | None, int | None, str]:
    """(device count written as "8 x"/"x8", explicit "64 chips"/"8 GPUs", remaining text)."""
    explicit = None
    unit = re.search(_UNIT_COUNT, clean)
    if unit:
        explicit = int(unit[1])
        clean = clean[: unit.start()] + " " + clean[unit.end() :]
    count = None
    lead = re.match(_LEADING_COUNT, clean)
    if lead:
        count = int(lead[1])
        clean = clean[lead.end() :]
    else:
        trail = re.search(_TRAILING_COUNT, clean)
        if trail:
            count = int(trail[1])
            clean = clean[: trail.start()]
    return count, explicit, clean.strip()


def _tpu(clean: str, count: int | None, chips: int | None) -> Hardware | None:
    version = re.search(_TPU_VERSION, clean)
    if version is None:
        return None
    key = f"tpu v{version[1]}{version[2]}"
    row = _hardware_table()["accelerators"].get(key)
    if row is None:  # v5e, v5p, v6e...: no power figure in the data, so no estimate
        return None
    if chips is None:
        if version[3]:
            chips = (count or 1) * max(int(version[3]) // _TPU_CORES_PER_CHIP, 1)
        elif "pod" in clean:  # a pod of unknown size: the count would be a guess
            return None
        else:
            chips = count or 1
    return Hardware(chips, row["name"], "tpu", float(row["watts"]), key)


def _parse_segment(segment: str) -> Hardware | None:
    clean = _clean(segment)
    is_tpu = bool({"tpu", "tpus"} & set(_raw_tokens(clean)))
    count, explicit, clean = _take_counts(clean)
    if not clean or count == 0 or explicit == 0:
        return None
    if max(count or 0, explicit or 0) > MAX_DEVICES:  # not a count of devices: no estimate
        return None
    if is_tpu:
        return _tpu(clean, count, explicit)
    raw = frozenset(_raw_tokens(clean))
    tokens = frozenset(_tokens(clean))
    n = explicit or count or 1
    gpus = (e for e in _accelerators() if e.kind != "tpu")
    found = _best(gpus, tokens, context=bool(raw & _GPU_CONTEXT))
    if found is None and raw & _CPU_CONTEXT:
        found = _best(_cpus(tokens), tokens, context=True)
    if found is None:
        return None
    return Hardware(n, found.name, found.kind, found.watts, found.key)


def parse_hardware(text: str) -> list[Hardware]:
    """The devices named in ``text`` (see :func:`_parse_hardware`), a fresh list each call."""
    return list(_parse_hardware(text))


# Cards repeat the same few strings ("1 x NVIDIA GeForce RTX 3090" in every Sentence-Transformers
# card): parsing each once per process saves ~75 us a card on a large run.
@lru_cache(maxsize=4096)
def _parse_hardware(text: str) -> tuple[Hardware, ...]:
    """The devices named in a ``hardware_used`` string; ``[]`` when none is recognised.

    Never guesses: a model missing from the tables, a TPU pod of unknown size or a CPU named
    only by its clock speed ("Intel(R) Xeon(R) CPU @ 2.20GHz") yields nothing.
    """
    if len(text or "") > MAX_FIELD_CHARS:
        return ()
    found = (_parse_segment(segment) for segment in re.split(_SEGMENTS, text or ""))
    return tuple(hw for hw in found if hw is not None)


# --------------------------------------------------------------------------- duration

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
_UNITS: tuple[tuple[str, float], ...] = (  # (pattern, hours), largest unit first
    (r"weeks?|wks?|w", 168.0),
    (r"days?|d", 24.0),
    (r"hours?|hrs?|h", 1.0),
    (r"minutes?|mins?|m", 1 / 60),
    (r"seconds?|secs?|s", 1 / 3600),
)
_COMPONENT = rf"(?i)({_NUMBER})\s*(" + "|".join(f"(?:{p})" for p, _ in _UNITS) + r")\b"
_CLOCK = r"(\d+):([0-5]\d)(?::([0-5]\d))?"


def _number(text: str) -> float:
    # "1,082,990" groups thousands; "1,5" is a decimal comma.
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


def _unit_rank(unit: str) -> int:
    return next(i for i, (p, _) in enumerate(_UNITS) if re.fullmatch(p, unit, re.IGNORECASE))


def parse_duration_hours(text: str) -> float | None:
    """Hours in "36", "36 hours", "2 days", "1.5h", "90 minutes", "3h 20m", "1:30:00".

    A bare number is hours. Components add up while the units get smaller ("2 days 4 hours");
    the first expression wins ("180 hours or 7.5 days" -> 180). GPU-hours, months and
    anything else unclear give ``None``.
    """
    t = (text or "").strip()
    if len(t) > MAX_FIELD_CHARS:
        return None
    if re.fullmatch(_NUMBER, t):
        return _number(t)
    clock = re.fullmatch(_CLOCK, t)
    if clock:
        return int(clock[1]) + int(clock[2]) / 60 + int(clock[3] or 0) / 3600
    total, last_rank, end = None, -1, None
    for m in re.finditer(_COMPONENT, t):
        rank = _unit_rank(m[2])
        gap = t[end : m.start()] if end is not None else ""
        if end is not None and (rank <= last_rank or not re.fullmatch(r"[\s,]*(?:and\s+)?", gap)):
            break
        total = (total or 0.0) + _number(m[1]) * _UNITS[rank][1]
        last_rank, end = rank, m.end()
    return total


# --------------------------------------------------------------------------- grid

# Placeholders that cards put in geographical_location; "NA" must not become Namibia.
_NULLISH = frozenset(
    {"", "na", "n a", "none", "null", "nan", "unknown", "not specified", "unspecified"}
    | {"not available", "other", "tbd", "tba"}
)


def _location_tokens(text: str) -> list[tuple[str, bool]]:
    """(lower-case token, was upper-case in the text), accents and dots removed."""
    import unicodedata

    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).replace(".", "")
    words = [tok for tok in re.split(r"[^A-Za-z0-9-]+", t) if tok.strip("-")]
    return [(tok.lower(), tok.isupper()) for tok in words]


def location_key(text: str) -> str:
    """The alias key of a location: lower case, no accents, dots or punctuation but hyphens."""
    return " ".join(tok for tok, _ in _location_tokens(text))


_KIND_RANK = {"cloud": 3, "region": 2, "country": 1, "world": 0}


def _find_zone(tokens: list[tuple[str, bool]]) -> str | None:
    """The most specific zone any run of words names: cloud region > sub-national > country.

    Codes (ISO "FR", "DEU", US state "CA") only count inside a longer text when written in
    capitals, so that the words "in", "can" or "us" are not read as India, Canada or the USA.
    A state code or a name shared with a country ("Georgia") counts as the state only next to
    its country ("Georgia, USA").
    """
    table = _grid_table()
    zones, names, codes = table["zones"], table["names"], table["codes"]
    words = [tok for tok, _ in tokens]
    # (kind rank, words, written as a name, -position, zone): "Trained IN France" is France.
    hits: list[tuple[int, int, bool, int, str]] = []
    for n in range(min(len(words), table["max_words"]), 0, -1):
        for i in range(len(words) - n + 1):
            gram = " ".join(words[i : i + n])
            zone = names.get(gram)
            is_name = zone is not None
            if zone is None and n == 1 and tokens[i][1]:
                zone = codes.get(gram)
            if zone is not None:
                hits.append((_KIND_RANK[zones[zone]["kind"]], n, is_name, -i, zone))
    for country in {z for *_, z in hits if zones[z]["kind"] == "country"}:
        local = table["subnational"].get(country, {})
        for i, (tok, upper) in enumerate(tokens):
            zone = local.get(tok) if (upper or len(tok) > 3) else None
            if zone is not None:
                hits.append((_KIND_RANK["region"], 1, True, -i, zone))
    return max(hits)[-1] if hits else None


def _grid_match(zone_id: str, fallback: bool = False) -> GridMatch:
    table = _grid_table()
    zone = table["zones"][zone_id]
    source = table["sources"][zone["source"]]["short"]
    if zone.get("year"):
        source += f" {zone['year']}"
    if zone.get("via") and zone["via"] != zone["source"]:
        source += f"; region map: {table['sources'][zone['via']]['short']}"
    country = zone.get("country", "")
    return GridMatch(float(zone["g"]), zone["name"], source, fallback, zone_id, country)


@lru_cache(maxsize=4096)
def grid_intensity(location: str | None) -> GridMatch:
    """Grid carbon intensity (gCO2e/kWh) for a country, sub-national zone or cloud region.

    Accepts ISO alpha-2/alpha-3 codes, English names and common aliases ("UK", "USA"), US
    states, Canadian provinces, Australian states, and AWS, GCP and Azure region names
    ("us-east-1", "europe-west4", "westeurope", "East US"), alone or inside free text
    ("Jean Zay, Orsay, France"). Unknown or empty: the world average, ``fallback=True``.
    """
    if len(location or "") > MAX_FIELD_CHARS:
        return _grid_match("WORLD", fallback=True)
    tokens = _location_tokens(location or "")
    key = " ".join(tok for tok, _ in tokens)
    if key in _NULLISH:
        return _grid_match("WORLD", fallback=True)
    table = _grid_table()
    zone = table["names"].get(key) or table["codes"].get(key) or _find_zone(tokens)
    return _grid_match(zone) if zone else _grid_match("WORLD", fallback=True)


# --------------------------------------------------------------------------- PUE

_PROVIDER_WORDS = {
    "aws": "aws",
    "amazon": "aws",
    "gcp": "gcp",
    "google": "gcp",
    "azure": "azure",
    "microsoft": "azure",
    "ovh": "ovhcloud",
    "ovhcloud": "ovhcloud",
    "oracle": "oracle",
    "oci": "oracle",
}


def default_pue(location: str | None, grid: GridMatch | None = None) -> float:
    """The data centre's PUE if the table has it, else the provider's, else the industry mean."""
    table = _hardware_table()["pue"]
    grid = grid or grid_intensity(location)
    if grid.zone in table["datacentres"]:
        return float(table["datacentres"][grid.zone])
    provider = grid.zone.split(":")[0] if ":" in grid.zone else None
    if provider is None:
        words = {tok for tok, _ in _location_tokens(location or "")}
        provider = next((_PROVIDER_WORDS[w] for w in sorted(words) if w in _PROVIDER_WORDS), None)
    return float(table["providers"].get(provider, table["default"]["value"]))


# --------------------------------------------------------------------------- estimate


def _mass(grams: float) -> str:
    for unit, size in (("t", 1e6), ("kg", 1e3)):
        if abs(grams) >= size:
            return f"{grams / size:.3g} {unit}"
    return f"{grams:.3g} g"


def _quantity(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def _grid_text(grid: GridMatch) -> str:
    return f"{grid.g_per_kwh:.4g} g/kWh ({grid.name}; {grid.source})"


def estimate(
    hardware: list[Hardware], hours: float, location: str | None, pue: float | None = None
) -> Estimate:
    """grams = sum(count x watts) x hours x PUE x grid g/kWh / 1000.

    ``pue=None`` takes the data centre's, the cloud provider's or the industry-average PUE.
    """
    if not hardware:
        raise ValueError("no hardware to estimate from")
    if hours < 0:
        raise ValueError(f"negative duration: {hours}")
    grid = grid_intensity(location)
    pue = default_pue(location, grid) if pue is None else float(pue)
    hours = float(hours)
    watts = sum(h.watts for h in hardware)
    kwh = watts * hours / 1000 * pue
    grams = kwh * grid.g_per_kwh
    devices = " + ".join(f"{h.count} x {h.name} ({h.watts_each:g} W)" for h in hardware)
    if len(hardware) > 1:
        devices = f"({devices})"
    arithmetic = (
        f"{devices} x {_quantity(hours)} h x PUE {pue:.2f} x {_grid_text(grid)}"
        f" = {_quantity(kwh)} kWh, {_mass(grams)}"
    )
    return Estimate(grams, kwh, watts, hours, pue, grid, arithmetic)


def estimate_from_energy(kwh: float, location: str | None) -> Estimate:
    """Emissions of a measured energy (CodeCarbon's ``energy_consumed``).

    PUE is 1: CodeCarbon's own emissions figure is energy x grid intensity, with no data
    centre overhead, and this estimate is compared with it.
    """
    if kwh < 0:
        raise ValueError(f"negative energy: {kwh}")
    grid = grid_intensity(location)
    grams = kwh * grid.g_per_kwh
    arithmetic = f"{_quantity(kwh)} kWh x {_grid_text(grid)} = {_mass(grams)}"
    return Estimate(grams, kwh, 0.0, 0.0, 1.0, grid, arithmetic)


def implied_intensity(grams: float, kwh: float) -> float:
    """The grid intensity (g/kWh) that a reported emission and energy imply.

    Real grids lie between about 0 and 1,300 g/kWh (OWID's highest country is 1,306): a
    value far outside says one of the two numbers has the wrong unit.
    """
    if kwh <= 0:
        raise ValueError(f"energy must be positive: {kwh}")
    return grams / kwh
