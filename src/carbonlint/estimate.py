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
from typing import Any

from carbonlint.record import Record


class Hardware(Record):
    """``count`` devices of one kind, at ``watts_each`` (TDP, or measured average for TPUs).

    ``count_given`` is False when the card names the device without saying how many ("A100",
    "TPU v3"): ``count`` is then 1, and an estimate from it is a lower bound. A device known only
    by its kind ("a GPU", "Xeon CPU") has ``matched`` "any gpu" (or tpu, cpu) and a power band
    ``watts_low``-``watts_high`` around ``watts_each``.
    """

    count: int
    name: str
    kind: str  # "gpu" | "tpu" | "cpu"
    watts_each: float
    matched: str  # the table key it matched
    count_given: bool = True
    watts_low: float | None = None  # only for a device known by its kind alone
    watts_high: float | None = None

    @property
    def watts(self) -> float:
        return self.count * self.watts_each

    @property
    def kind_only(self) -> bool:
        return self.watts_low is not None


class GridMatch(Record):
    g_per_kwh: float
    name: str
    source: str
    fallback: bool  # True when the location was unknown and the world average is used
    zone: str = ""  # table id: "FR", "US-CA", "aws:us-east-1", "WORLD"
    country: str = ""  # ISO 3166-1 alpha-2 of the zone ("US" for "East US"); "" for WORLD


class Estimate(Record):
    grams: float
    kwh: float  # energy including PUE
    watts: float  # total rated power; 0 when the energy was given directly
    hours: float  # wall-clock hours; 0 when the energy was given directly
    pue: float
    grid: GridMatch
    arithmetic: str
    # The band the true value lies in as far as the inputs say: equal to ``grams`` for named
    # devices with their count; ``grams_high`` is infinite when a count is not given.
    grams_low: float | None = None
    grams_high: float | None = None
    assumptions: tuple[str, ...] = ()  # in words, for messages
    low_arithmetic: str = ""  # the band's low end, worked out; "" when exact

    @property
    def low(self) -> float:
        return self.grams if self.grams_low is None else self.grams_low

    @property
    def high(self) -> float:
        return self.grams if self.grams_high is None else self.grams_high

    @property
    def exact(self) -> bool:
        """True when every device is named with its count: the 10x band applies."""
        return self.low == self.grams == self.high


# A hardware name, a duration or a location is a few words: text longer than this is not one, and
# is not parsed. The cap is still needed with linear-time patterns (measured without it, 20,000
# characters): a run of 5,000 digits is a count int() refuses (ValueError), and parsing grows
# faster than the text (the segment and token matching: "1," x 10,000 takes 1.6 s, "A100 + "
# repeated 0.8 s), as does grid_intensity's word search. The largest
# training clusters have some 100,000 devices; a bigger "count" is not a count.
MAX_FIELD_CHARS = 400
MAX_DEVICES = 1_000_000
# A line of prose that states a duration ("trained on 64 A100 GPUs for 310 hours") may be a
# whole paragraph; longer than this it is not read for one.
MAX_LINE_CHARS = 5_000

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
    "of with vm cloud google colab on using single".split()
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
_CPU_CONTEXT = _CPU_FAMILIES | {"cpu", "cpus", "processor", "processors", "intel", "i3", "i5",
                                "i7", "i9", "vcpu", "vcpus", "cores"}
_GPU_CONTEXT = frozenset("nvidia geforce gpu gpus radeon quadro tesla rtx gtx cuda".split())
_TPU_CONTEXT = frozenset({"tpu", "tpus"})
# v2, v3 and v4 slice names count TensorCores, two per chip: a "v3-8" has 4 chips.
# (Google Cloud TPU documentation, "System architecture".)
_TPU_CORES_PER_CHIP = 2
# Counts written in words ("two A100s", "a single V100", "dual RTX 3090").
_COUNT_WORDS = {
    "one": 1, "single": 1, "two": 2, "dual": 2, "three": 3, "four": 4, "quad": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "sixteen": 16,
    "thirty-two": 32, "sixty-four": 64,
}

# A device known only by its kind: rated power from the lowest to the highest of the
# training-class devices of that kind in the tables (GPU: T4/L4-class 70 W to B200 1,000 W;
# TPU: per chip, v4 170 W to v2 280 W, widened below for the unpublished v5e/v5p/v6e; CPU: a
# laptop's 15 W to a 400 W server part), and the value shown as "typical". Only the band's low
# end judges a number (a thousandfold slip below it), so the band may be wide without harm.
KIND_BANDS: dict[str, tuple[float, float, float]] = {
    "gpu": (70.0, 300.0, 1000.0),
    "tpu": (100.0, 220.0, 300.0),
    "cpu": (15.0, 150.0, 400.0),
}

# Patterns are plain strings: the re module compiles and caches them on first use, which keeps
# the import of this module cheap. Every one is linear-time: a repeated class is never next to
# another that can match the same characters, and runs of digits are entered only at their
# start (a lookbehind), so that a long run of digits or spaces cannot make a search quadratic.
_SEGMENTS = r"(?i)\+|;|,|&|\|+|\band\b|\bplus\b"
_MEMORY = r"\d+gb"
_LEADING_COUNT = r"^(\d+)[ \t]*(?:[x×*](?=\s|\d|[a-z]\d)|(?=\s))"
_INNER_COUNT = r"(?<![a-z0-9.])(\d{1,6})[ \t]*[x×*][ \t]*(?=[a-z])"
_TRAILING_COUNT = r"(?<![a-z0-9])[x×*][ \t]*(\d+)[ \t]*(?:\)[ \t]*)?$"
# "1 TPU v3" names a device, so only the plural "TPUs" counts; "SXM2 GPU" is not 2 GPUs.
_UNIT_COUNT = (
    r"(?<![a-z0-9.])(\d+)[ \t]*(?:chips?|gpus?|tpus|devices?|cards?|accelerators?)\b"
)
_TPU_VERSION = r"\bv(\d+)([a-z]*)(?:[ \t]*-[ \t]*(\d+))?"
_CLOCK_SPEED = r"(?<![\d.])\d+(?:\.\d+)?[ \t]*[gm]hz\b"
# Hours written inside a hardware string: "TPUv3-8 for about 180 hours", "8 x A100 (36h)".
_DURATION_IN_TEXT = (
    r"(?i)(?<![\w.,])(\d+(?:[.,]\d+)?)[ \t]*"
    r"(hours?|hrs?|h|days?|minutes?|mins?|seconds?|secs?|weeks?)(?![\w-])"
)


def _clean(text: str) -> str:
    """Lower-case and glue the spellings that vary ("80 GB", "TPUv3", "RTX3090") together."""
    t = text.lower()
    t = re.sub(r"\((?:r|tm)\)|[®™@]", " ", t)
    t = re.sub(_CLOCK_SPEED, " ", t)  # a clock speed is not a model
    t = re.sub(r"(?<!\d)(\d+)[ \t]*gb\b", r"\1gb", t)
    t = re.sub(r"t?tpu[ \t-]*(v\d)", r"tpu \1", t)
    t = re.sub(r"\b(rtx|gtx|rx)(\d)", r"\1 \2", t)
    # "2080ti", "3090ti", "1660super": the suffix is a word of its own in the tables.
    t = re.sub(r"(?<=\d)(ti|super)\b", r" \1", t)
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


def family(key: str) -> str:
    """A table key without memory size and form factor: "a100 80gb sxm" -> "a100". Two
    mentions of one device family in a card ("A100" and "16 A100 40GB") share it."""
    return " ".join(t for t in key.split() if not _is_memory(t) and t not in _FORM_VALUES)


class _Entry(Record):
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
def _model_tokens() -> frozenset[str]:
    """Every model token of the accelerator table ("a100", "v100s", "2080")."""
    return frozenset(t for e in _accelerators() for t in e.required)


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
                    -len(e.words - tokens),  # "RTX 6000" is not the "RTX 6000 Ada"
                    e.watts,
                    -len(e.key),
                ),
            )
    return None


def _take_counts(clean: str) -> tuple[int | None, int | None, str]:
    """(device count written as "8 x"/"x8"/"eight", explicit "64 chips"/"8 GPUs", the rest)."""
    explicit = None
    unit = re.search(_UNIT_COUNT, clean)
    if unit:
        explicit = int(unit[1])
        clean = clean[: unit.start()] + " " + clean[unit.end() :]
    count = None
    lead = re.match(_LEADING_COUNT, clean)
    inner = re.search(_INNER_COUNT, clean) if lead is None else None
    first = clean.split(maxsplit=1)
    if lead:
        count = int(lead[1])
        clean = clean[lead.end() :]
    elif inner:  # "GPU: 2 x RTX 4090", "trained on 8xA100"
        count = int(inner[1])
        clean = clean[: inner.start()] + " " + clean[inner.end() :]
    elif first and first[0] in _COUNT_WORDS:
        count = _COUNT_WORDS[first[0]]
        clean = first[1] if len(first) > 1 else ""
    else:
        trail = re.search(_TRAILING_COUNT, clean)
        if trail:
            count = int(trail[1])
            clean = clean[: trail.start()]
    return count, explicit, clean.strip()


def _tpu(clean: str, count: int | None, chips: int | None) -> Hardware | None:
    version = re.search(_TPU_VERSION, clean)
    row = None
    if version is not None:
        row = _hardware_table()["accelerators"].get(f"tpu v{version[1]}{version[2]}")
    if row is None:
        # v5e, v5p, v6e or no version: no published power per chip, so the kind's band.
        named = f"TPU v{version[1]}{version[2]}" if version is not None else None
        given = chips or count
        if version is not None and version[3] and given is None:
            given = max(int(version[3]) // _TPU_CORES_PER_CHIP, 1)
        return _kind_only("tpu", given, named)
    key = f"tpu v{version[1]}{version[2]}"
    given = True
    if chips is None:
        if version[3]:
            chips = (count or 1) * max(int(version[3]) // _TPU_CORES_PER_CHIP, 1)
        else:  # "TPU v3", "a TPU v3 pod": how many chips is not said
            chips = count or 1
            given = count is not None and "pod" not in clean
    return Hardware(chips, row["name"], "tpu", float(row["watts"]), key, count_given=given)


def _kind_only(kind: str, count: int | None, named: str | None = None) -> Hardware:
    low, typical, high = KIND_BANDS[kind]
    name = f"{named} (power not published)" if named else f"{kind.upper()} of unknown model"
    return Hardware(
        count or 1, name, kind, typical, f"any {kind}",
        count_given=count is not None, watts_low=low, watts_high=high,
    )


def _singular(tokens: Iterable[str]) -> frozenset[str]:
    """"a100s" is two A100s, not a model: a plural s comes off a token the tables do not know
    when the tables know it without the s ("v100s" is a model of its own and stays)."""
    known = _model_tokens()
    return frozenset(
        t[:-1] if t.endswith("s") and t not in known and t[:-1] in known else t for t in tokens
    )


def _named(clean: str, raw: frozenset[str]) -> _Entry | None:
    """The table entry ``clean`` names: an accelerator, else a CPU where a CPU word is present."""
    tokens = _singular(_tokens(clean))
    gpus = (e for e in _accelerators() if e.kind != "tpu")
    found = _best(gpus, tokens, context=bool(raw & _GPU_CONTEXT))
    if found is None and raw & _CPU_CONTEXT:
        found = _best(_cpus(tokens), tokens, context=True)
    return found


def _parse_segment(segment: str) -> Hardware | None:
    clean = _clean(segment)
    is_tpu = bool(_TPU_CONTEXT & set(_raw_tokens(clean)))
    whole = clean
    count, explicit, clean = _take_counts(clean)
    if count == 0 or explicit == 0:
        return None
    if max(count or 0, explicit or 0) > MAX_DEVICES:  # not a count of devices: no estimate
        return None
    given = explicit or count
    if is_tpu:
        return _tpu(clean, count, explicit) if clean else None
    raw = frozenset(_raw_tokens(whole)) & (_GPU_CONTEXT | _CPU_CONTEXT)
    raw |= frozenset(_raw_tokens(clean))
    found = _named(clean, raw) if clean else None
    if found is None and given is not None and str(given) in _model_tokens():
        # "3090 GPU": the number is the model, not 3,090 devices.
        found, given = _named(whole, raw), None
    if found is not None:
        return Hardware(given or 1, found.name, found.kind, found.watts, found.key,
                        count_given=given is not None)
    # Named by its kind alone ("a GPU", "GPU RTX", "Intel Xeon CPU @ 2.20GHz"): a wide band.
    if raw & _GPU_CONTEXT:
        return _kind_only("gpu", given)
    if raw & _CPU_CONTEXT:
        return _kind_only("cpu", given)
    return None


def parse_hardware(text: str) -> list[Hardware]:
    """The devices named in ``text`` (see :func:`_parse_hardware`), a fresh list each call."""
    return list(_parse_hardware(text))


# Cards repeat the same few strings ("1 x NVIDIA GeForce RTX 3090" in every Sentence-Transformers
# card): parsing each once per process saves ~75 us a card on a large run.
@lru_cache(maxsize=4096)
def _parse_hardware(text: str) -> tuple[Hardware, ...]:
    """The devices named in a ``hardware_used`` string; ``[]`` when none is recognised.

    Never guesses a count or a model: a device without its count has ``count_given=False``
    (an estimate from it is a lower bound), a device known by its kind alone ("a GPU") has a
    power band, and a name that is neither (a model missing from the tables with no kind
    word) yields nothing. A duration in the text ("for 180 hours") is not part of a device.
    """
    if len(text or "") > MAX_FIELD_CHARS:
        return ()
    text = remove_duration(text or "")
    segments = (s.strip() for s in re.split(_SEGMENTS, text))
    found = [hw for hw in (_parse_segment(s) for s in segments if s) if hw is not None]
    # A kind alone adds nothing where a device of that kind is named ("8 x A100 GPUs, NVIDIA
    # GPU"), and one string naming a kind twice ("Mac Studio || M1 CPU / 24-core GPU") is one
    # device of it, not several: the lower bound must not count a machine twice.
    named = {hw.kind for hw in found if not hw.kind_only}
    kept: list[Hardware] = []
    for hw in found:
        if hw.kind_only and (hw.kind in named or any(k.kind == hw.kind for k in kept)):
            continue
        kept.append(hw)
    return tuple(kept)


def duration_in_text(text: str) -> float | None:
    """Hours stated inside a hardware string or a line ("TPUv3-8 for about 180 hours" -> 180,
    "8 x V100, 90 minutes" -> 1.5); None when it states none or more than one."""
    if len(text or "") > MAX_LINE_CHARS:
        return None
    found = [m for m in re.finditer(_DURATION_IN_TEXT, text or "")]
    if len(found) != 1:
        return None
    return parse_duration_hours(found[0][0])


def remove_duration(text: str) -> str:
    return re.sub(_DURATION_IN_TEXT, " ", text)


# --------------------------------------------------------------------------- duration

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
_UNITS: tuple[tuple[str, float], ...] = (  # (pattern, hours), largest unit first
    (r"weeks?|wks?|w", 168.0),
    (r"days?|d", 24.0),
    (r"hours?|hrs?|h", 1.0),
    (r"minutes?|mins?|m", 1 / 60),
    (r"seconds?|secs?|s", 1 / 3600),
)
# Entered only at the start of a number (the lookbehind): linear on a long run of digits.
_COMPONENT = (
    rf"(?i)(?<![\d.,])({_NUMBER})[ \t]*(" + "|".join(f"(?:{p})" for p, _ in _UNITS) + r")\b"
)
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


def _devices(hardware: list[Hardware], low: bool = False) -> str:
    parts = []
    for h in hardware:
        watts = h.watts_low if low and h.watts_low is not None else h.watts_each
        rated = f"{watts:,g} W"
        if h.kind_only and not low:
            rated = f"{watts:,g} W typical, {h.watts_low:,g}-{h.watts_high:,g} W"
        parts.append(f"{h.count} x {h.name} ({rated})")
    text = " + ".join(parts)
    return f"({text})" if len(hardware) > 1 else text


def _assumptions(hardware: list[Hardware]) -> tuple[str, ...]:
    said = []
    for h in hardware:
        if h.kind_only:
            said.append(f"the {h.kind.upper()} model is not named, so its power is taken as "
                        f"{h.watts_low:,g} W at the least")
        if not h.count_given:
            said.append(f"the card does not say how many {h.name if not h.kind_only else h.kind.upper()}"
                        " devices: one is assumed, so the estimate is a lower bound")
    return tuple(said)


def estimate(
    hardware: list[Hardware], hours: float, location: str | None, pue: float | None = None
) -> Estimate:
    """grams = sum(count x watts) x hours x PUE x grid g/kWh / 1000.

    ``pue=None`` takes the data centre's, the cloud provider's or the industry-average PUE.
    Devices without their count, or known by their kind alone, make the estimate a band
    (``grams_low``-``grams_high``, the high end infinite without a count) whose low end,
    ``low_arithmetic``, is what a reported number can be judged against.
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
    arithmetic = (
        f"{_devices(hardware)} x {_quantity(hours)} h x PUE {pue:.2f} x {_grid_text(grid)}"
        f" = {_quantity(kwh)} kWh, {_mass(grams)}"
    )
    per_watt_hour = hours / 1000 * pue * grid.g_per_kwh
    low_watts = sum(h.count * (h.watts_low or h.watts_each) for h in hardware)
    grams_low = low_watts * per_watt_hour
    if all(h.count_given for h in hardware):
        grams_high = sum(h.count * (h.watts_high or h.watts_each) for h in hardware) * per_watt_hour
    else:
        grams_high = float("inf")
    if all(h.count_given and not h.kind_only for h in hardware):
        grams_low = grams_high = grams  # the same float: Estimate.exact compares them
    low_kwh = low_watts * hours / 1000 * pue
    low_arithmetic = (
        f"{_devices(hardware, low=True)} x {_quantity(hours)} h x PUE {pue:.2f} x "
        f"{_grid_text(grid)} = {_quantity(low_kwh)} kWh, {_mass(grams_low)}"
    )
    return Estimate(grams, kwh, watts, hours, pue, grid, arithmetic, grams_low, grams_high,
                    _assumptions(hardware), low_arithmetic)


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
