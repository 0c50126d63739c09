"""The template fields the reader knows, and the labels that name them."""

from __future__ import annotations

# Canonical field -> what it holds, and the labels (lower case) that name it.
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Carbon Emitted": (
        "emissions_g",
        ("carbon emitted", "carbon emissions", "co2 emitted", "co2eq emissions")
        + ("co2 eq emissions", "emissions", "carbon footprint", "total emissions")
        + ("estimated carbon emissions",),
    ),
    "CO2 Emissions": ("emissions_g", ("co2 emissions",)),
    "Energy Consumed": (
        "energy_kwh",
        ("energy consumed", "energy consumption", "energy used", "total energy")
        + ("estimated electricity usage", "electricity usage"),
    ),
    "Hours used": ("hours", ("hours used", "hours", "training time", "training duration")),
    "Hardware Type": ("hardware", ("hardware type", "hardware", "hardware used")),
    "GPU Model": ("hardware", ("gpu model", "gpu", "gpus")),
    "CPU Model": ("hardware", ("cpu model",)),
    "RAM Size": ("hardware", ("ram size",)),
    "Cloud Provider": ("cloud_provider", ("cloud provider",)),
    "Compute Region": (
        "location",
        ("compute region", "cloud region", "region", "geographical location"),
    ),
    "Training Type": ("training_type", ("training type",)),
}
FIELD_OF = {label: field for field, (_, labels) in FIELDS.items() for label in labels}
# Without bold, "Hardware: ..." or "Region: ..." are too common to be the template; only the
# template's own labels count as a field on an unformatted line.
PLAIN_LABELS = frozenset(
    {field.lower() for field in FIELDS} | {"carbon emissions", "training time"}
    # BLOOM's model card: "Estimated carbon emissions: (Forthcoming.)"
    | {"estimated carbon emissions", "estimated electricity usage"}
)
