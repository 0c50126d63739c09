"""``carbonlint hub``: the models named and listed, fetched concurrently, linted in order."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from carbonlint.findings import CardReport
from carbonlint.hub.client import HUB_EXPAND, PAGE_SIZE, HubClient
from carbonlint.hub.concurrency import ordered_map
from carbonlint.hub.info import HubInfo, hub_info_from, model_from_item
from carbonlint.record import Record


class ListingQuery(Record):
    author: str | None = None
    search: str | None = None
    filters: tuple[str, ...] = ()
    limit: int | None = None

    def wanted(self) -> bool:
        return bool(self.author or self.search or self.filters)

    def params(self, expand: Sequence[str]) -> dict[str, Any]:
        params: dict[str, Any] = {"expand": list(expand),
                                  "limit": min(self.limit or PAGE_SIZE, PAGE_SIZE)}
        if self.author:
            params["author"] = self.author
        if self.search:
            params["search"] = self.search
        if self.filters:
            params["filter"] = list(self.filters)
        return params

    def label(self) -> str:
        """The listing as a report path, for the report of a listing that failed."""
        parts = [f"author={self.author}"] if self.author else []
        parts += [f"search={self.search}"] if self.search else []
        parts += [f"filter={tag}" for tag in self.filters]
        return "hf://?" + "&".join(parts)


class Target(Record):
    model_id: str  # as the user or the listing gave it; the report's path is hf://model_id
    info: HubInfo | None = None  # from the listing; None: ask the Hub
    failure: str | None = None  # set on the entry that stands for a listing that failed


class Fetched(Record):
    path: str
    info: HubInfo | None
    raw: bytes | None
    error: str | None


def listed_targets(client: HubClient, query: ListingQuery) -> Iterator[Target]:
    """The models the listing gives, up to ``query.limit``; a failure ends it with one entry."""
    count = 0
    try:
        for page in client.pages(query.params(HUB_EXPAND)):
            for item in page.items:
                if query.limit is not None and count >= query.limit:
                    return
                model = model_from_item(item)
                if model is not None:
                    count += 1
                    yield Target(model.id, hub_info_from(model))
                elif isinstance(item, dict) and isinstance(item.get("id"), str):
                    count += 1
                    yield Target(item["id"])  # odd fields: ask the Hub for this one again
    except Exception as exc:  # noqa: BLE001 - describe() re-raises what is not the Hub's doing
        reason = client.describe(exc, "", None)
        yield Target(query.label(), failure=f"the listing stopped after {count:,} models: {reason}")


def fetch(client: HubClient, target: Target, revision: str | None) -> Fetched:
    """Runs on a worker: the model's information (unless listed) and its README, or why not."""
    path = target.model_id if target.failure else f"hf://{target.model_id}"
    if target.failure:
        return Fetched(path, None, None, target.failure)
    info = target.info
    try:
        if info is None:
            info = client.model_info(target.model_id, revision)
        return Fetched(path, info, client.readme(target.model_id, revision), None)
    except Exception as exc:  # noqa: BLE001 - describe() re-raises what is not the Hub's doing
        return Fetched(path, info, None, client.describe(exc, target.model_id, revision))


def lint(fetched: Fetched, config: Any, enabled: frozenset[str]) -> CardReport:
    """Runs on the main thread (the checks share caches): the card, linted as ``check`` does."""
    from carbonlint.card import parse_bytes
    from carbonlint.checker import check_card

    if fetched.error is not None or fetched.raw is None:
        return CardReport(path=fetched.path, error=fetched.error or "no card",
                          reporting_reason="the card could not be fetched")
    card = parse_bytes(fetched.raw, fetched.path)
    card.hub_info = fetched.info
    return check_card(card, config, enabled)


def hub_reports(client: HubClient, *, model_ids: Sequence[str], query: ListingQuery,
                revision: str | None, workers: int, config: Any) -> Iterator[CardReport]:
    """A report per model: those named first, then the listing's, in that order."""
    from carbonlint.checker import enabled_codes

    enabled = enabled_codes(config)
    named = [Target(m.removeprefix("hf://").strip("/")) for m in dict.fromkeys(model_ids)]
    targets: Iterable[Target] = named
    if query.wanted():
        targets = itertools.chain(named, listed_targets(client, query))
    try:
        for fetched in ordered_map(lambda t: fetch(client, t, revision), targets, workers=workers):
            yield lint(fetched, config, enabled)
    finally:
        client.stop()
