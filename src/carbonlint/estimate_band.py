"""The uncertainty band of a training estimate: each factor's plausible range, multiplied out.

The estimate multiplies rated power, hours, PUE and grid intensity. Hours are the card's; the
other three each have a range the card does not pin down:

- **power**: accelerators rarely draw their rated power all the time. Patterson et al. 2021
  (arXiv:2104.10350, Table 4) measured the average system power per accelerator of six runs at
  0.54 to 1.10 times the device's TDP (Switch Transformer 245 W on 450 W TPU v3 chips; GPT-3
  330 W on 300 W V100s, the host included). The band takes 0.5 to 1.1.
- **PUE**: given on the command line, it is exact. Otherwise from the best data centre in the
  table (1.08) to the larger of the PUE used and the industry average (1.56).
- **grid**: a zone the table knows varies from year to year and hour to hour: +-20 % is
  assumed. The world average (no location) spans the 10th to 90th percentile of the
  table's countries.

The band is a range of plausible values, not a statistical interval.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from carbonlint.record import Record

if TYPE_CHECKING:
    from carbonlint.estimate import Estimate

POWER_LOW, POWER_HIGH = 0.5, 1.1
GRID_SPREAD = 0.2


class Band(Record):
    low_g: float
    high_g: float
    factors: tuple[str, ...]  # each factor's range, in words


def _country_percentiles() -> tuple[float, float]:
    from carbonlint.estimate_inputs import data_table

    values = sorted(float(z["g"]) for z in data_table("grid_intensity.json")["zones"].values()
                    if z.get("kind") == "country")
    return values[len(values) // 10], values[(9 * len(values)) // 10]


def band(result: Estimate, *, pue_given: bool) -> Band:
    from carbonlint.estimate_inputs import data_table

    factors = [f"power {POWER_LOW:.0%} to {POWER_HIGH:.0%} of rated (Patterson et al. 2021, "
               "measured runs)"]
    low = high = result.grams
    if result.watts > 0:
        low *= POWER_LOW
        high *= POWER_HIGH
    else:  # a measured energy: no rated power to be off
        factors = ["energy as measured"]
    if pue_given or result.watts <= 0:
        factors.append(f"PUE {result.pue:.2f} as given")
    else:
        table = data_table("hardware_power.json")["pue"]
        best = min(table["datacentres"].values())
        worst = max(result.pue, float(table["default"]["value"]))
        low *= best / result.pue
        high *= worst / result.pue
        factors.append(f"PUE {best:.2f} to {worst:.2f}")
    grid = result.grid
    if grid.fallback:
        p10, p90 = _country_percentiles()
        low *= p10 / grid.g_per_kwh
        high *= p90 / grid.g_per_kwh
        factors.append(f"grid {p10:.0f} to {p90:.0f} g/kWh (location unknown: 10th to 90th "
                       "percentile of countries)")
    else:
        low *= 1 - GRID_SPREAD
        high *= 1 + GRID_SPREAD
        factors.append(f"grid +-{GRID_SPREAD:.0%} (year-to-year and hour-to-hour variation)")
    return Band(low, high, tuple(factors))
