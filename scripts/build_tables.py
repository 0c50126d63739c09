#!/usr/bin/env python3
"""Build carbonlint's shipped data tables from the shared reference data.

From the repository root:

    python scripts/build_tables.py [--shared DIR]   # writes src/carbonlint/data/*.json and
                                                    # tests/data/reference_emissions.csv
    python scripts/build_tables.py --accuracy       # prints docs/estimator.md's accuracy table

Standard library only. The keys are normalised with carbonlint.estimate's own functions, so
that the tables and the lookups can never disagree. Green Algorithms ``data-v3.1/`` is ODbL
(share-alike) and is deliberately never read. See src/carbonlint/data/PROVENANCE.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from carbonlint.estimate import (  # noqa: E402  (needs the sys.path line above)
    estimate,
    hardware_key,
    location_key,
    parse_hardware,
)

DATA_OUT = REPO / "src" / "carbonlint" / "data"
REFERENCE_OUT = REPO / "tests" / "data" / "reference_emissions.csv"
GENERATED_BY = "scripts/build_tables.py"
DATASHEETS = Path(__file__).resolve().parent / "datasheet_tdp.csv"

SOURCES: dict[str, dict[str, str]] = {
    "owid": {
        "name": "Our World in Data: carbon intensity of electricity generation, per country "
        "(codecarbon/data/private_infra/global_energy_mix.json)",
        "short": "OWID/Ember via CodeCarbon",
        "licence": "CC BY 4.0 (Our World in Data); file distributed by CodeCarbon under MIT",
        "citation": "Ember (2024); Energy Institute - Statistical Review of World Energy (2024) "
        "- with major processing by Our World in Data. 'Carbon intensity of electricity "
        "generation'. https://ourworldindata.org/grapher/carbon-intensity-electricity . "
        "Via mlco2/codecarbon commit b05965e43b690cdc53787c7577adbe6e2caf4ed9.",
    },
    "ga": {
        "name": "Green Algorithms calculator data v3.0 (green-algorithms-tool data/v3.0)",
        "short": "Green Algorithms v3.0",
        "licence": "CC BY 4.0",
        "citation": "Lannelongue, L., Grealey, J., Inouye, M. (2021). Green Algorithms: "
        "Quantifying the Carbon Footprint of Computation. Advanced Science 8, 2100707. "
        "https://github.com/GreenAlgorithms/green-algorithms-tool commit "
        "30df2feead1c7f5db87a3d86ca1239470a0cd415.",
    },
    "impact": {
        "name": "ML CO2 Impact calculator data (mlco2/impact data/)",
        "short": "ML CO2 Impact",
        "licence": "MIT",
        "citation": "Lacoste, A., Luccioni, A., Schmidt, V., Dandres, T. (2019). Quantifying "
        "the Carbon Emissions of Machine Learning. arXiv:1910.09700. "
        "https://github.com/mlco2/impact commit d0d3ee5a71ea222ac344a94900642ed2ce649af4.",
    },
    "google": {
        "name": "Google Cloud region carbon data, location-based grid intensity "
        "(codecarbon/data/cloud/impact.csv)",
        "short": "Google Cloud via CodeCarbon",
        "licence": "MIT (CodeCarbon)",
        "citation": "Google Cloud, 'Carbon free energy for Google Cloud regions', "
        "https://cloud.google.com/sustainability/region-carbon . Via mlco2/codecarbon commit "
        "b05965e43b690cdc53787c7577adbe6e2caf4ed9.",
    },
    "entsoe": {
        "name": "CodeCarbon static factors for Nordic bidding zones, historical ENTSO-E averages "
        "(codecarbon/data/private_infra/nordic_emissions.json)",
        "short": "ENTSO-E via CodeCarbon",
        "licence": "MIT (CodeCarbon)",
        "citation": "mlco2/codecarbon commit b05965e43b690cdc53787c7577adbe6e2caf4ed9.",
    },
    "iea": {
        "name": "World average grid intensity, IEA Global Energy & CO2 Status Report 2019, "
        "as used by Green Algorithms (CI_aggregated.csv, WORLD) and CodeCarbon",
        "short": "IEA 2019 world average",
        "licence": "CC BY 4.0 (Green Algorithms) / MIT (CodeCarbon)",
        "citation": "https://www.iea.org/reports/global-energy-co2-status-report-2019/emissions",
    },
    "codecarbon": {
        "name": "CodeCarbon CPU power table (codecarbon/data/hardware/cpu_power.csv)",
        "short": "CodeCarbon",
        "licence": "MIT",
        "citation": "CodeCarbon, https://github.com/mlco2/codecarbon commit "
        "b05965e43b690cdc53787c7577adbe6e2caf4ed9. Copyright (c) 2019 Mila, BCG Gamma, "
        "CometML, Haverford College; Copyright (c) 2023 Code Carbon NGO.",
    },
    "datasheet": {
        "name": "Vendor datasheets and product specification pages (board power), one row "
        "per device in scripts/datasheet_tdp.csv with the document it comes from",
        "short": "vendor datasheet",
        "licence": "facts (rated power as published by NVIDIA and AMD)",
        "citation": "NVIDIA and AMD product specifications; see scripts/datasheet_tdp.csv.",
    },
    "nvidia": {
        "name": "NVIDIA V100 datasheet (corrects two swapped ML CO2 Impact rows)",
        "short": "NVIDIA datasheet",
        "licence": "facts",
        "citation": "NVIDIA Tesla V100 GPU datasheet: V100 PCIe 250 W, V100 SXM2 300 W.",
    },
}

# ISO 3166-1 alpha-3 -> alpha-2 for every country in OWID's table (the standard's codes are
# facts; OWID keys by alpha-3 only, Green Algorithms by alpha-2).
ALPHA3_TO_2 = dict(
    pair.split(":")
    for pair in """
ABW:AW AFG:AF AGO:AO ALB:AL ARE:AE ARG:AR ARM:AM ASM:AS ATG:AG AUS:AU AUT:AT AZE:AZ BDI:BI
BEL:BE BEN:BJ BFA:BF BGD:BD BGR:BG BHR:BH BHS:BS BIH:BA BLR:BY BLZ:BZ BMU:BM BOL:BO BRA:BR
BRB:BB BRN:BN BTN:BT BWA:BW CAF:CF CAN:CA CHE:CH CHL:CL CHN:CN CIV:CI CMR:CM COD:CD COG:CG
COK:CK COL:CO COM:KM CPV:CV CRI:CR CUB:CU CYM:KY CYP:CY CZE:CZ DEU:DE DJI:DJ DMA:DM DNK:DK
DOM:DO DZA:DZ ECU:EC EGY:EG ERI:ER ESH:EH ESP:ES EST:EE ETH:ET FIN:FI FJI:FJ FLK:FK FRA:FR
FRO:FO GAB:GA GBR:GB GEO:GE GHA:GH GIB:GI GIN:GN GLP:GP GMB:GM GNB:GW GNQ:GQ GRC:GR GRD:GD
GRL:GL GTM:GT GUF:GF GUM:GU GUY:GY HKG:HK HND:HN HRV:HR HTI:HT HUN:HU IDN:ID IND:IN IRL:IE
IRN:IR IRQ:IQ ISL:IS ISR:IL ITA:IT JAM:JM JOR:JO JPN:JP KAZ:KZ KEN:KE KGZ:KG KHM:KH KIR:KI
KNA:KN KOR:KR KWT:KW LAO:LA LBN:LB LBR:LR LBY:LY LCA:LC LKA:LK LSO:LS LTU:LT LUX:LU LVA:LV
MAC:MO MAR:MA MDA:MD MDG:MG MDV:MV MEX:MX MKD:MK MLI:ML MLT:MT MMR:MM MNE:ME MNG:MN MOZ:MZ
MRT:MR MSR:MS MTQ:MQ MUS:MU MWI:MW MYS:MY NAM:NA NCL:NC NER:NE NGA:NG NIC:NI NLD:NL NOR:NO
NPL:NP NRU:NR NZL:NZ OMN:OM PAK:PK PAN:PA PER:PE PHL:PH PNG:PG POL:PL PRI:PR PRK:KP PRT:PT
PRY:PY PSE:PS PYF:PF QAT:QA REU:RE ROU:RO RUS:RU RWA:RW SAU:SA SDN:SD SEN:SN SGP:SG SHN:SH
SLB:SB SLE:SL SLV:SV SOM:SO SPM:PM SRB:RS SSD:SS STP:ST SUR:SR SVK:SK SVN:SI SWE:SE SWZ:SZ
SYC:SC SYR:SY TCA:TC TCD:TD TGO:TG THA:TH TJK:TJ TKM:TM TLS:TL TON:TO TTO:TT TUN:TN TUR:TR
TWN:TW TZA:TZ UGA:UG UKR:UA URY:UY USA:US UZB:UZ VCT:VC VEN:VE VGB:VG VIR:VI VNM:VN VUT:VU
WSM:WS YEM:YE ZAF:ZA ZMB:ZM ZWE:ZW""".split()
)
# "NA" is what cards write for "not available": Namibia stays reachable by name and "NAM".
NOT_CODES = {"na"}
COUNTRY_ALIASES = {
    "US": ["usa", "united states of america", "us of america"],
    "GB": ["uk", "great britain", "britain", "england", "scotland", "wales", "northern ireland"],
    "KR": ["republic of korea"],
    "AE": ["uae"],
    "CZ": ["czech republic"],
    "NL": ["holland"],
    "VN": ["viet nam"],
    "TR": ["turkiye"],
    "CI": ["ivory coast"],
    "CD": ["dr congo", "drc", "democratic republic of the congo"],
    "MK": ["macedonia"],
    "SZ": ["swaziland"],
    "CV": ["cabo verde"],
    "TL": ["timor-leste"],
    "MM": ["burma"],
    "MO": ["macau"],
}
# Spellings the source gets wrong or that cards commonly use for its sub-national zones.
REGION_NAME_FIXES = {"US-MS": "Mississippi"}
REGION_ALIASES = {
    "US-DC": ["district of columbia"],
    "CA-YT": ["yukon"],
    # Green Algorithms codes Manitoba CA-MT; ISO 3166-2 says CA-MB.
    "CA-MT": ["ca-mb", "mb"],
}
AZURE_NAME_FIXES = {"Germany Northeastt": "Germany Northeast"}
GCP_REGION_FIXES = {"me-cenrtal1": "me-central1"}
WORLD_ALIASES = ["world", "global", "worldwide"]

# Country of every zone (ISO 3166-1 alpha-2), so that two locations can be compared. Countries
# are their own code, sub-national zones their parent's, cloud regions the country their source
# gives (CodeCarbon's alpha-3 `countryIsoCode` for GCP, Green Algorithms' location code for
# Azure, ML CO2 Impact's `country` name for AWS), resolved through OWID's country names and
# COUNTRY_ALIASES above. The hand-written exceptions, each reviewed:
# - Hong Kong has its own ISO 3166-1 code (HK) and its own row in OWID's table, which is where
#   a card's "Hong Kong" lands; the sources file it under China (Green Algorithms' CN-HK and
#   CN-HK2 utilities; "China" + city "Hong Kong" for GCP asia-east2 and AWS ap-east-1).
#   All of them are HK, so that "Hong Kong" and "asia-east2" count as the same country.
REGION_COUNTRY_FIXES = {"CN-HK": "HK", "CN-HK2": "HK"}
CITY_COUNTRIES = {"Hong Kong": "HK"}

# ML CO2 Impact rows that contradict the NVIDIA datasheets (PROVENANCE.md of impact/).
IMPACT_WATTS_FIXES = {"Tesla V100-PCIE-16GB": 250.0, "Tesla V100-SXM2-16GB": 300.0}
IMPACT_SKIP = {"GTX 750"}  # 250 W and 1,111 TFLOPS: a broken row (the card is a 55 W part)
GA_SKIP = {"Any"}  # a generic default, not a device: carbonlint never guesses a device

REFERENCE_COLUMNS = [
    "model",
    "hardware",
    "accelerator_hours",
    "pue",
    "location",
    "grid_gco2_per_kwh",
    "emissions_tco2eq",
    "source",
    "locator",
]


# --------------------------------------------------------------------------- reading


def read_ga_csv(path: Path) -> list[dict[str, str]]:
    """Green Algorithms CSVs carry a row of units and comments before the real header."""
    with path.open(encoding="utf-8", newline="") as f:
        next(f)
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def read_csv(path: Path) -> list[dict[str, str]]:
    # utf-8-sig: CodeCarbon's cloud/impact.csv starts with a byte-order mark.
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value else None  # "NaN" cells


def data_year(text: str) -> int | None:
    found = re.search(r"data from (\d{4})", text)
    return int(found[1]) if found else None


# --------------------------------------------------------------------------- grid table


class Aliases:
    """Name -> zone maps that keep the first claim and report every later conflicting one."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.codes: dict[str, str] = {}
        self.conflicts: list[str] = []

    def add(self, mapping: dict[str, str], alias: str, zone: str) -> None:
        key = location_key(alias)
        if not key:
            return
        if mapping.setdefault(key, zone) != zone:
            self.conflicts.append(f"{key!r}: kept {mapping[key]}, not {zone}")

    def name(self, alias: str, zone: str) -> None:
        self.add(self.names, alias, zone)

    def code(self, alias: str, zone: str) -> None:
        if location_key(alias) not in NOT_CODES:
            self.add(self.codes, alias, zone)


def country_zones(shared: Path, aliases: Aliases) -> dict[str, dict[str, Any]]:
    zones: dict[str, dict[str, Any]] = {}
    mix = read_json(shared / "codecarbon/private_infra/global_energy_mix.json")
    for iso3, row in sorted(mix.items()):
        iso2 = ALPHA3_TO_2[iso3]
        zones[iso2] = {
            "g": round(float(row["carbon_intensity"]), 3),
            "name": row["country_name"],
            "kind": "country",
            "source": "owid",
            "year": int(row["year"]),
            "country": iso2,
        }
        aliases.name(row["country_name"], iso2)
        aliases.code(iso2, iso2)
        aliases.code(iso3, iso2)
    for iso2, names in COUNTRY_ALIASES.items():
        for alias in names:
            aliases.name(alias, iso2)
    return zones


def subnational_zones(
    shared: Path, countries: dict[str, dict[str, Any]], aliases: Aliases
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, str]], float]:
    """Green Algorithms' states and provinces; its country rows only add name aliases
    (OWID's values are newer). Also returns the world average."""
    zones: dict[str, dict[str, Any]] = {}
    qualified: dict[str, dict[str, str]] = {}
    world = None
    rows = read_ga_csv(shared / "green-algorithms/tool-v3.0/CI_aggregated.csv")
    for row in rows:
        code = row["location"]
        if row["Type"] == "World":
            world = float(row["carbonIntensity"])
        elif row["Type"] == "Country":
            aliases.name(row["countryName"], code)
        elif "-" in code:  # "TW" is typed Region but is a country in OWID's table
            parent, local = code.split("-", 1)
            region = REGION_NAME_FIXES.get(code, row["regionName"])
            zones[code] = {
                "g": float(row["carbonIntensity"]),
                "name": f"{region}, {countries[parent]['name']}",
                "kind": "region",
                "source": "ga",
                "year": data_year(row["source"]),
                "parent": parent,
                "country": REGION_COUNTRY_FIXES.get(code, parent),
            }
            aliases.name(code, code)
            local_aliases = qualified.setdefault(parent, {})
            local_aliases[location_key(local)] = code
            if "(" not in region:  # "Hong Kong (CLP Group)": a utility, not a place name
                if location_key(region) in aliases.names:  # "Georgia": the country wins alone
                    local_aliases[location_key(region)] = code
                else:
                    aliases.name(region, code)
            for alias in REGION_ALIASES.get(code, []):
                if len(location_key(alias)) <= 3:  # a bare code: only next to its country
                    local_aliases[location_key(alias)] = code
                else:
                    aliases.name(alias, code)
    if world is None:
        raise SystemExit("CI_aggregated.csv has no WORLD row")
    return zones, qualified, world


def nordic_zones(shared: Path, aliases: Aliases) -> dict[str, dict[str, Any]]:
    data = read_json(shared / "codecarbon/private_infra/nordic_emissions.json")["data"]
    zones = {}
    for code, row in sorted(data.items()):
        if len(code) == 2:  # "FI" is a whole country: OWID's value stands
            continue
        zones[code] = {
            "g": float(row["emission_factor"]),
            "name": row["description"],
            "kind": "region",
            "source": "entsoe",
            "year": int(row["year"]),
            "parent": code[:2],
            "country": code[:2],
        }
        aliases.code(code, code)
        aliases.name(f"{code[:2]}-{code}", code)  # Electricity Maps style "SE-SE3"
    return zones


def country_names(countries: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Country name key -> ISO alpha-2: OWID's names and COUNTRY_ALIASES ("USA")."""
    by_name = {location_key(row["name"]): iso2 for iso2, row in countries.items()}
    for iso2, names in COUNTRY_ALIASES.items():
        by_name.update((location_key(alias), iso2) for alias in names)
    return by_name


def place_country(by_name: dict[str, str], name: str, city: str, iso3: str = "") -> str | None:
    """The ISO alpha-2 code of a source's place: CITY_COUNTRIES first, then its alpha-3 code
    if it gives one, else its country name. ``None`` when none resolves."""
    fixed = CITY_COUNTRIES.get(city.strip(" ,"))
    if fixed:
        return fixed
    return ALPHA3_TO_2.get(iso3) if iso3 else by_name.get(location_key(name))


def cloud_zones(
    shared: Path, located: dict[str, dict[str, Any]], aliases: Aliases
) -> dict[str, dict[str, Any]]:
    zones: dict[str, dict[str, Any]] = {}
    by_name = country_names({k: v for k, v in located.items() if v["kind"] == "country"})
    # Every other source that locates a region: zone -> [(source, country)], checked below.
    claims: dict[str, list[tuple[str, str | None]]] = {}

    # GCP: Google's own published location-based intensities.
    for row in read_csv(shared / "codecarbon/cloud/impact.csv"):
        region = GCP_REGION_FIXES.get(row["region"], row["region"])
        zone = f"gcp:{region}"
        zones[zone] = {
            "g": float(row["impact"]),
            "name": f"GCP {region} ({row['city']}, {row['country_name']})",
            "kind": "cloud",
            "source": "google",
            "provider": "gcp",
            "country": place_country(
                by_name, row["country_name"], row["city"], iso3=row["countryIsoCode"]
            ),
        }
        aliases.name(region, zone)

    # Azure: Green Algorithms maps each region to a country or state; its value comes from
    # the same country/state table as everything else. ML CO2 Impact gives the short codes.
    impact = read_csv(shared / "impact/impact.csv")
    azure_codes = {r["regionName"].lower(): r for r in impact if r["provider"] == "azure"}
    for row in read_ga_csv(shared / "green-algorithms/tool-v3.0/cloudProviders_datacenters.csv"):
        if row["provider"] != "azure" or not row["location"]:
            continue
        display = re.sub(r"\s*\(.*\)", "", row["Name"]).strip()
        display = AZURE_NAME_FIXES.get(display, display)
        impact_row = azure_codes.pop(display.lower(), None)
        # Azure's short names are the display names without spaces ("West Europe" ->
        # "westeurope"); ML CO2 Impact has them for the older regions.
        code = impact_row["region"] if impact_row else display.lower().replace(" ", "")
        place = located[row["location"]]
        zone = f"azure:{code}"
        zones[zone] = {
            "g": place["g"],
            "name": f"Azure {code} ({display}: {place['name']})",
            "kind": "cloud",
            "source": place["source"],
            "year": place.get("year"),
            "via": "ga",
            "provider": "azure",
            "country": place["country"],
        }
        if impact_row:
            claims.setdefault(zone, []).append(
                ("impact.csv", place_country(by_name, impact_row["country"], impact_row["city"]))
            )
        aliases.name(code, zone)
        aliases.name(display, zone)
    for row in sorted(azure_codes.values(), key=lambda r: r["region"]):  # not in GA's map
        zone = f"azure:{row['region']}"
        zones[zone] = impact_zone(row, "Azure", by_name)
        aliases.name(row["region"], zone)
        aliases.name(row["regionName"], zone)

    # AWS: only ML CO2 Impact has it (eGRID 2016 and 2016-2018 national factors).
    for row in impact:
        if row["provider"] == "aws":
            zone = f"aws:{row['region']}"
            zones[zone] = impact_zone(row, "AWS", by_name)
            aliases.name(row["region"], zone)
            aliases.name(row["regionName"], zone)

    # The GCP regions' other locations: Green Algorithms' map and ML CO2 Impact's rows.
    for row in read_ga_csv(shared / "green-algorithms/tool-v3.0/cloudProviders_datacenters.csv"):
        if row["provider"] == "gcp" and row["location"]:
            place = located.get(row["location"], {})
            claims.setdefault(f"gcp:{row['Name']}", []).append(
                ("cloudProviders_datacenters.csv", place.get("country"))
            )
    for row in impact:
        if row["provider"] == "gcp":
            claims.setdefault(f"gcp:{row['region']}", []).append(
                ("impact.csv", place_country(by_name, row["country"], row["city"]))
            )
    disagree = [
        f"{zone}: {zones[zone].get('country')} vs {source} {country}"
        for zone, found in sorted(claims.items())
        if zone in zones
        for source, country in found
        if country != zones[zone].get("country")
    ]
    if disagree:
        listing = "\n  ".join(disagree)
        raise SystemExit(f"sources disagree on a cloud region's country:\n  {listing}")
    return zones


def impact_zone(row: dict[str, str], provider: str, by_name: dict[str, str]) -> dict[str, Any]:
    return {
        "g": float(row["impact"]),
        "name": f"{provider} {row['region']} ({row['regionName']}, {row['city']})",
        "kind": "cloud",
        "source": "impact",
        "provider": row["provider"],
        "country": place_country(by_name, row["country"], row["city"]),
    }


def build_grid(shared: Path) -> dict[str, Any]:
    aliases = Aliases()
    countries = country_zones(shared, aliases)
    regions, qualified, world = subnational_zones(shared, countries, aliases)
    regions.update(nordic_zones(shared, aliases))
    clouds = cloud_zones(shared, {**countries, **regions}, aliases)
    world_check = read_json(shared / "codecarbon/private_infra/carbon_intensity_per_source.json")
    if world_check["world_average"] != world:
        raise SystemExit(f"world averages disagree: {world} vs {world_check['world_average']}")
    zones = {
        "WORLD": {"g": world, "name": "World average", "kind": "world", "source": "iea"},
        **countries,
        **regions,
        **clouds,
    }
    for alias in WORLD_ALIASES:
        aliases.name(alias, "WORLD")
    for conflict in aliases.conflicts:
        print(f"alias conflict: {conflict}", file=sys.stderr)
    # Every zone but WORLD must name a country of the table, or comparisons silently fail.
    stateless = [
        f"{z} ({row['name']}): {row.get('country')!r}"
        for z, row in zones.items()
        if row["kind"] != "world" and row.get("country") not in countries
    ]
    if stateless:
        raise SystemExit(
            f"{len(stateless)} zone(s) without an ISO 3166-1 alpha-2 country; add it to the "
            "source or to CITY_COUNTRIES / REGION_COUNTRY_FIXES:\n  " + "\n  ".join(stateless)
        )
    zones = {z: {k: v for k, v in row.items() if v is not None} for z, row in zones.items()}
    used = {row["source"] for row in zones.values()} | {row.get("via") for row in zones.values()}
    return {
        "format": 1,
        "generated_by": GENERATED_BY,
        "unit": "gCO2e/kWh",
        "sources": {k: v for k, v in SOURCES.items() if k in used},
        "fallback": "WORLD",
        "zones": zones,
        "names": aliases.names,
        "codes": aliases.codes,
        "subnational": qualified,
        "max_words": max(len(k.split()) for k in aliases.names),
    }


# --------------------------------------------------------------------------- hardware table


def expand_memory_variants(name: str) -> list[str]:
    """ML CO2 Impact's "A100 PCIe 40/80GB" row stands for two cards."""
    found = re.search(r"(\d+)/(\d+)\s*GB", name)
    if not found:
        return [name]
    return [name.replace(found[0], f"{size}GB") for size in found.groups()]


def accelerators(shared: Path) -> dict[str, dict[str, Any]]:
    """Green Algorithms first (datasheet-cited TDPs), ML CO2 Impact fills the gaps."""
    table: dict[str, dict[str, Any]] = {}
    for row in read_ga_csv(shared / "green-algorithms/tool-v3.0/TDP_gpu.csv"):
        watts = number(row["TDP"])
        if row["model"] in GA_SKIP or watts is None:
            continue
        kind = "tpu" if row["model"].startswith("TPU") else "gpu"
        table.setdefault(
            hardware_key(row["model"]),
            {"name": row["model"], "kind": kind, "watts": watts, "source": "ga"},
        )
    for row in read_csv(shared / "impact/gpus.csv"):
        if row["type"] not in ("gpu", "tpu") or row["name"] in IMPACT_SKIP:
            continue
        fixed = IMPACT_WATTS_FIXES.get(row["name"])
        watts = fixed if fixed is not None else number(row["tdp_watts"])
        if watts is None:
            continue
        for name in expand_memory_variants(row["name"]):
            table.setdefault(
                hardware_key(name),
                {
                    "name": name,
                    "kind": row["type"],
                    "watts": watts,
                    "source": "nvidia" if fixed is not None else "impact",
                },
            )
    # Vendor datasheets fill what both calculators lack: older GPUs (GTX 580, Tesla K40) and
    # newer or less common ones (A10, A40, H100 PCIe, MI250X). The calculators win where both
    # have a device, so their published values stay as they were.
    for row in read_csv(DATASHEETS):
        table.setdefault(
            hardware_key(row["name"]),
            {"name": row["name"], "kind": row["kind"], "watts": float(row["watts"]),
             "source": "datasheet"},
        )
    return table


def has_model_number(key: str) -> bool:
    """"Xeon" names a family and "Xeon 2.2" a 2002 chip by its clock speed, which is what
    cards write for any CPU ("Xeon @ 2.20GHz"): neither identifies a chip."""
    return any(re.search(r"\d", t) and not re.fullmatch(r"\d+\.\d+", t) for t in key.split())


def cpus(shared: Path) -> dict[str, list[Any]]:
    """CodeCarbon's CPU TDPs as key -> [watts, name], for names with a model number; where
    two names normalise alike the higher TDP is kept."""
    table: dict[str, list[Any]] = {}
    for row in read_csv(shared / "codecarbon/hardware/cpu_power.csv"):
        key, watts = hardware_key(row["Name"]), number(row["TDP"])
        if watts is None or not has_model_number(key):
            continue
        if key not in table or watts > table[key][0]:
            table[key] = [watts, row["Name"]]
    return table


def pue_table(shared: Path) -> dict[str, Any]:
    defaults = read_ga_csv(shared / "green-algorithms/tool-v3.0/defaults_PUE.csv")
    providers = {r["provider"].lower(): float(r["PUE"]) for r in defaults}
    default = providers.pop("unknown")
    datacentres: dict[str, float] = {}
    ga_dcs = read_ga_csv(shared / "green-algorithms/tool-v3.0/cloudProviders_datacenters.csv")
    for row in ga_dcs:
        if row["provider"] == "gcp" and number(row["PUE"]) is not None:
            datacentres[f"gcp:{row['Name']}"] = float(row["PUE"])
    for row in read_csv(shared / "impact/impact.csv"):
        if row["provider"] == "gcp" and number(row["PUE"]) is not None:
            datacentres.setdefault(f"gcp:{row['region']}", float(row["PUE"]))
    return {
        "default": {
            "value": default,
            "source": "ga",
            "note": "Uptime Institute Global Data Center Survey 2024 average, "
            "Green Algorithms defaults_PUE.csv 'Unknown'",
        },
        "providers": providers,
        "datacentres": datacentres,
    }


def build_hardware(shared: Path) -> dict[str, Any]:
    accel = accelerators(shared)
    used = {row["source"] for row in accel.values()} | {"codecarbon", "ga"}
    return {
        "format": 1,
        "generated_by": GENERATED_BY,
        "unit": "W",
        "sources": {k: v for k, v in SOURCES.items() if k in used},
        "accelerators": accel,
        "pue": pue_table(shared),
    }


def build_cpus(shared: Path) -> dict[str, Any]:
    """CPUs apart: 4,600 rows (200 kB) that a card naming a GPU never needs to load."""
    return {
        "format": 1,
        "generated_by": GENERATED_BY,
        "unit": "W",
        "sources": {k: v for k, v in SOURCES.items() if k == "codecarbon"},
        "cpus": cpus(shared),
        "cpu_source": "codecarbon",
    }


# --------------------------------------------------------------------------- reference rows


def reference_rows(shared: Path) -> list[dict[str, str]]:
    """The published runs the estimator can recompute: hardware, GPU-hours and a location."""
    rows = read_csv(shared / "reference-emissions/training_emissions_reference.csv")
    keep = [r for r in rows if r["hardware"] and r["accelerator_hours"] and r["location"]]
    return [{c: r[c] for c in REFERENCE_COLUMNS} for r in keep]


def write_reference(rows: list[dict[str, str]]) -> None:
    REFERENCE_OUT.parent.mkdir(parents=True, exist_ok=True)
    with REFERENCE_OUT.open("w", encoding="utf-8", newline="") as f:
        f.write(
            "# Published training emissions, copied by scripts/build_tables.py from\n"
            "# ../shared/data/reference-emissions/training_emissions_reference.csv (hand-compiled\n"
            "# facts from the papers and model cards named in source/locator; no licence needed,\n"
            "# cite the primary sources). Only rows with hardware, accelerator_hours and\n"
            "# location.\n"
            "# accelerator_hours are GPU/TPU-hours (devices x wall-clock hours).\n"
        )
        writer = csv.DictWriter(f, fieldnames=REFERENCE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_json(name: str, table: dict[str, Any]) -> None:
    text = json.dumps(table, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    (DATA_OUT / name).write_text(text + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- accuracy


def read_reference(path: Path = REFERENCE_OUT) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def tonnes(grams: float) -> str:
    t = grams / 1e6
    return f"{t:,.0f}" if t >= 100 else f"{t:.3g}"


def accuracy_rows(rows: Iterable[dict[str, str]]) -> list[list[str]]:
    """Recompute each reference run: one device for its GPU-hours, with its own PUE if given."""
    out = []
    for row in rows:
        parsed = parse_hardware(row["hardware"])
        published = float(row["emissions_tco2eq"]) * 1e6
        if not parsed:
            out.append([row["model"], f"{row['hardware']} -> not recognised", *[""] * 6])
            continue
        device = parsed[0]._replace(count=1)
        pue = float(row["pue"]) if row["pue"] else None
        est = estimate([device], float(row["accelerator_hours"]), row["location"], pue)
        fallback = ", fallback" if est.grid.fallback else ""
        grid = f"{est.grid.g_per_kwh:.0f} ({est.grid.name}{fallback})"
        out.append(
            [
                row["model"],
                f"{row['hardware']} -> {device.name} {device.watts_each:g} W",
                f"{float(row['accelerator_hours']):,.0f}",
                f"{row['location']} -> {grid}",
                f"{est.pue:.2f}" + ("" if pue is not None else " (default)"),
                tonnes(est.grams),
                row["emissions_tco2eq"],
                f"{est.grams / published:.2f}",
            ]
        )
    return out


def accuracy_markdown() -> str:
    header = [
        "model",
        "hardware -> matched",
        "GPU-hours",
        "location -> g/kWh used",
        "PUE",
        "estimate (t)",
        "published (t)",
        "ratio",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cells) + " |" for cells in accuracy_rows(read_reference())]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument(
        "--accuracy", action="store_true", help="print the accuracy table (Markdown) and exit"
    )
    args = parser.parse_args(argv)
    if args.accuracy:
        print(accuracy_markdown())
        return 0
    DATA_OUT.mkdir(parents=True, exist_ok=True)
    write_json("grid_intensity.json", build_grid(args.shared))
    write_json("hardware_power.json", build_hardware(args.shared))
    write_json("cpu_power.json", build_cpus(args.shared))
    write_reference(reference_rows(args.shared))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
