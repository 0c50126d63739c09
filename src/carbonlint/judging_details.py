"""``--show-estimate``: what carbonlint weighed a card's number against, also when it passes.

The rules speak only when something is off; an author who wants to know *why* a number passes
(or why nothing was judged) gets, for every card: the physical estimate with its arithmetic and
the ratio to the reported figure, or what the estimate lacked; the peer group with its median
and the card's robust z-score, or why there is none; the efficiency label's inputs. The same
values the rules (CL401/CL402, CL501) and the label use, from the same Context, so this view
cannot disagree with the findings.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from carbonlint.units import as_written

if TYPE_CHECKING:
    from carbonlint.checker import Context


def _estimate_part(context: Context) -> dict[str, Any]:
    inputs = context.estimate_inputs
    estimate = context.estimate
    if estimate is None:
        return {"available": False, "lacking": "; ".join(inputs.missing()),
                "inputs": inputs.described()}
    part: dict[str, Any] = {
        "available": True,
        "inputs": inputs.described(),
        "exact": estimate.exact,
        "grams": round(estimate.grams, 3),
        "kwh": round(estimate.kwh, 3),
        "arithmetic": estimate.arithmetic,
        "grid": {"g_per_kwh": estimate.grid.g_per_kwh, "name": estimate.grid.name,
                 "world_average": estimate.grid.fallback},
        "plausibility_factor": context.config.plausibility_factor,
        "ratio": None,
    }
    reported = context.emissions_g
    if reported is not None and reported > 0 and estimate.grams > 0:
        part["ratio"] = round(reported / estimate.grams, 4)
    return part


def _no_group_reason(context: Context) -> str:
    from carbonlint.judge import is_autotrain, training_type_of

    if not is_autotrain(context) and training_type_of(context) is None:
        return ("its training type (co2_eq_emissions.training_type): a fair peer group is runs "
                "of the same kind")
    return "a fair peer group of at least 30 runs of its kind in the baseline"


def _peers_part(context: Context) -> dict[str, Any]:
    from carbonlint.efficiency import robust_z
    from carbonlint.judge import physics_has_spoken

    baseline = context.baseline
    group = context.peer_group
    if group is None:
        return {"available": False, "lacking": _no_group_reason(context)}
    stats = baseline.groups[group]
    part: dict[str, Any] = {"available": True, "group": group, "description": stats.description,
                            "n": stats.n, "median_g": stats.quantiles_g.get("p50"), "z": None,
                            "outlier_z": context.config.outlier_z, "judged_by_physics": False}
    grams = context.emissions_g
    if grams and grams > 0 and math.isfinite(grams):
        z = robust_z(grams, stats)
        part["z"] = round(z, 2) if z is not None else None
        # CL501 stays quiet where the hardware and hours or the energy figure judge the number.
        part["judged_by_physics"] = physics_has_spoken(context, grams)
    return part


def judging_details(context: Context) -> dict[str, Any]:
    """The estimate, the peer group and the label's inputs, as plain JSON-ready values."""
    efficiency = context.efficiency
    return {
        "estimate": _estimate_part(context),
        "peers": _peers_part(context),
        "efficiency": None if efficiency is None else {
            "label": efficiency.get("label"), "score": efficiency.get("score"),
            "reason": efficiency.get("reason"),
            "metrics": efficiency.get("metrics"), "missing": efficiency.get("missing")},
    }


def _grams(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if value >= 1 else f"{value:.3g}"


def _shown(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def describe(details: dict[str, Any], reported_g: float | None) -> list[str]:
    """The details as lines for the text output (without the path)."""
    lines = []
    estimate = details["estimate"]
    given = [f"{name.replace('_', '-')} {_shown(item['value'])} [{item['origin']}]"
             for name, item in estimate["inputs"].items() if item["value"] is not None]
    lines.append("estimate inputs: " + ("; ".join(given) if given else "none"))
    if estimate["available"]:
        line = f"estimate: {estimate['arithmetic']}"
        if not estimate["exact"]:
            line += " (a lower bound: a device's count is not given)"
        ratio = estimate["ratio"]
        if ratio is not None and reported_g is not None:
            factor = estimate["plausibility_factor"]
            times = ratio if ratio >= 1 else 1 / ratio
            side = "above" if ratio >= 1 else "below"
            verdict = "within" if times <= factor else "beyond"
            line += (f"; the card's {as_written(reported_g)} g is {times:,.2f}x {side} it ({verdict} "
                     f"the plausibility factor {factor:g})")
        lines.append(line)
    else:
        lines.append(f"estimate: none, the card does not give {estimate['lacking']}")
    peers = details["peers"]
    if peers["available"]:
        line = f"peers: {peers['n']:,} {peers['description']}"
        if peers["median_g"] is not None:
            line += f", median {_grams(peers['median_g'])} g"
        if peers["z"] is not None:
            if peers["judged_by_physics"]:
                verdict = "not judged by peers: the card's hardware, hours or energy account for it"
            else:
                verdict = "an outlier" if abs(peers["z"]) > peers["outlier_z"] else "inside"
            line += f"; this card z = {peers['z']:+.2f} ({verdict}, threshold {peers['outlier_z']:g})"
        lines.append(line)
    else:
        lines.append(f"peers: no peer group, the card does not give {peers['lacking']}")
    efficiency = details["efficiency"]
    if efficiency is None:
        lines.append("efficiency: no label without emissions above zero")
    else:
        rated = ", ".join(f"{name} {metric['rating']} (weight {metric['weight']:g})"
                          for name, metric in (efficiency["metrics"] or {}).items())
        missing = ", ".join(efficiency["missing"] or []) or "nothing"
        if efficiency["label"] is None:
            head = ("efficiency: no letter (nothing relates the emissions to what the run "
                    "produced: model size, dataset size or a performance metric)")
        else:
            head = f"efficiency {efficiency['label']} (score {efficiency['score']:g})"
        lines.append(f"{head}: {rated}; missing: {missing}")
    return lines
