"""``carbonlint estimate``: the physical estimate for a run or a card, with every factor's source.

Exit codes: 0 an estimate was printed (for every card given); 1 a card (or the options) does not
give enough for one, and the output says what is missing; 2 usage errors (an unreadable card, a
bad option).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from carbonlint.cli import UsageFailure


def _positive(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not value > 0:
        raise click.BadParameter("must be more than 0")
    return value


@click.command()
@click.argument("cards", nargs=-1, type=click.Path())
@click.option("--hardware", metavar="TEXT",
              help='The devices, as a card writes them: "8 x A100 80GB", "TPU v3-8", "1 x T4".')
@click.option("--hours", metavar="DURATION",
              help='Wall-clock training time: "36", "36 hours", "2 days", "3h 20m".')
@click.option("--location", metavar="TEXT",
              help='Country, region or cloud region: "France", "Quebec", "us-east-1".')
@click.option("--pue", type=float, callback=_positive, metavar="NUMBER",
              help="The data centre's PUE (default: the data centre's, the cloud provider's, "
              "else the industry average 1.56).")
@click.option("--lifecycle", is_flag=True,
              help="Also estimate the hardware's embodied share, the idle and infrastructure "
              "overhead and (with --deploy-hardware) deployment, with each assumption.")
@click.option("--deploy-hardware", metavar="TEXT",
              help="With --lifecycle: the devices that serve the model.")
@click.option("--deploy-location", metavar="TEXT",
              help="With --lifecycle: where it is served (default: --location / the card's).")
@click.option("--requests-per-day", type=float, callback=_positive, metavar="NUMBER",
              help="With --deploy-hardware: requests a day, for the figure per 1,000 requests.")
@click.option("-f", "--format", "output_format", type=click.Choice(("text", "json")),
              default="text", show_default=True)
def estimate(cards: tuple[str, ...], hardware: str | None, hours: str | None,
             location: str | None, pue: float | None, lifecycle: bool,
             deploy_hardware: str | None, deploy_location: str | None,
             requests_per_day: float | None, output_format: str) -> None:
    """Estimate training emissions from hardware x hours x PUE x grid intensity.

    Give the inputs as options, or name model cards (their metadata and text give them; options
    override). Prints every factor with its source, the uncertainty band and the
    co2_eq_emissions block to paste.
    """
    from carbonlint.estimate_report import Deployment, build, render_text

    if (deploy_hardware or deploy_location or requests_per_day) and not lifecycle:
        raise UsageFailure("--deploy-hardware, --deploy-location and --requests-per-day need "
                           "--lifecycle")
    if requests_per_day and not deploy_hardware:
        raise UsageFailure("--requests-per-day needs --deploy-hardware")
    if hours is not None:
        from carbonlint.estimate import parse_duration_hours

        parsed = parse_duration_hours(hours)
        if parsed is None or parsed <= 0:
            raise UsageFailure(f"--hours {hours!r}: not a duration (write 36, \"36 hours\", "
                               "\"2 days\"; GPU-hours are not wall-clock time)")
    overrides = {"hardware": hardware, "hours": hours, "location": location, "pue": pue}
    reports = []
    if cards:
        from carbonlint.checker import expand_paths

        for path in expand_paths(cards):
            inputs, reported, co2 = _card_inputs(path, overrides)
            where = location if location is not None else inputs.location.value
            # The card's own deployment keys (docs/lifecycle.md) unless the options say otherwise.
            deployment = Deployment(
                deploy_hardware or _text(co2.get("deployment_hardware")),
                deploy_location or _text(co2.get("deployment_location")) or where,
                requests_per_day or _positive_number(co2.get("deployment_requests_per_day")))
            reports.append(build(inputs, lifecycle=lifecycle, deployment=deployment, card=path,
                                 reported_g=reported))
        if not reports:
            raise UsageFailure(f"no model card (README.md, *model_card*.md) in {', '.join(cards)}")
    else:
        from carbonlint.estimate_inputs import from_options

        if hardware is None or hours is None:
            raise UsageFailure("give --hardware and --hours (and --location), or a model card")
        deployment = Deployment(deploy_hardware, deploy_location or location, requests_per_day)
        reports.append(build(from_options(overrides), lifecycle=lifecycle, deployment=deployment))
    if output_format == "json":
        import json

        payload: Any = reports if cards else reports[0]
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(render_text(r) for r in reports), nl=False)
    sys.exit(1 if any(r["estimate_g"] is None for r in reports) else 0)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _positive_number(value: Any) -> float | None:
    from carbonlint.units import finite_number

    number = finite_number(value) if not isinstance(value, bool) else None
    return number if number is not None and number > 0 else None


def _card_inputs(path: str, overrides: dict[str, Any]) -> tuple[Any, float | None, dict[str, Any]]:
    """The card's inputs (options laid over them), the emissions it reports if any, and its
    co2_eq_emissions mapping ({} when it has none)."""
    import os

    from carbonlint.card import read_card
    from carbonlint.checker import Context
    from carbonlint.config import Config
    from carbonlint.estimate_inputs import from_context

    if not os.path.isfile(path):
        raise UsageFailure(f"{path}: no such file")
    card = read_card(path)
    if card.unreadable is not None:
        raise UsageFailure(f"{path}: {card.unreadable}")
    context = Context(card, Config())
    co2 = card.co2 if isinstance(card.co2, dict) else {}
    return from_context(context, overrides=overrides), context.emissions_g, co2
