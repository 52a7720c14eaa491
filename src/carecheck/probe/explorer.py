"""Property-based search testing against a live target: hypothesis generates examples of a property
(`carecheck.probe.properties`), each is acted out through the scenario's recording client and judged by the
property's check, and the first that fails is shrunk to a minimal example.

Deterministic by default (hypothesis derandomized: the same target data gives the same searches every run),
or from a seed (`--hypothesis-seed`). Bounded by a `Budget`: at most `examples` generated examples, and no
new searches once `seconds` have passed or `examples × 4` examples (generation and shrinking together)
have been tried. An example seen before is answered from memory, never sent again, so hypothesis's final
replay of the minimal example costs nothing and always agrees. Every request made is recorded as evidence;
the judged example's exchanges are the ones the scenario's judgement names.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings

from carecheck.capability import left_out
from carecheck.checks import CHECKS, Finding, Outcome, not_applicable
from carecheck.checks.properties import result_keys
from carecheck.http import FhirClient, Interaction
from carecheck.probe.properties import PROPERTIES, Plan, SearchProperty
from carecheck.probe.searcher import Searcher
from carecheck.search.strategies import SearchSpace, criteria, date_parameters

__all__ = ["Budget", "Exploration", "explore", "unexplorable"]

_SHRINK_FACTOR = 4
_RESULT_PARAMETERS = frozenset({"_count", "_format", "_include", "_revinclude", "_sort", "_summary", "_elements", "_contained", "_containedType"})
"""Parameters that shape the answer rather than select matches: a self link need not repeat them."""


@dataclass(frozen=True)
class Budget:
    """How much one property may try: generated examples, seconds, and the seed (None: derandomized)."""

    examples: int = 15
    seconds: float = 20.0
    seed: int | str | None = None

    @property
    def trials(self) -> int:
        """Examples tried at most, generation and shrinking together."""
        return self.examples * _SHRINK_FACTOR

    def describe(self) -> str:
        origin = f"seed {self.seed}" if self.seed is not None else "derandomized"
        return f"{origin}; budget {self.examples} examples or {self.seconds:g} s"


@dataclass(frozen=True)
class Trial:
    """One example acted out and judged (or refused by the server, or ignored as its self link says, and not judged)."""

    plan: Plan
    interaction: Interaction
    arguments: dict[str, Any]
    findings: tuple[Finding, ...]
    refused: bool

    @property
    def failed(self) -> bool:
        return any(finding.outcome is Outcome.FAIL for finding in self.findings)


@dataclass(frozen=True)
class Exploration:
    """What exploring a property found: the example to judge (the minimal failing one, or the last that
    held), the check and its arguments (with `explored`, the story of the search, for the message)."""

    property: str
    check: str
    interaction: Interaction
    arguments: dict[str, Any]
    tried: int
    refused: int
    falsified: bool
    requests: int

    def describe(self) -> str:
        return str(self.arguments.get("explored", ""))

    def arguments_for(self, name: str, check: str) -> dict[str, Any]:
        """The arguments of `check` judging property `name`: what a Then step saying that property judges. A harness
        error (ValueError) when the When step explored another property, or `check` is not the property's, so a Then
        that does not match its When can never pass."""
        if (name, check) != (self.property, self.check):
            raise ValueError(
                f"the Then step judges property {name!r} with check {check!r}, but the When step explored {self.property!r} "
                f"(judged by {self.check!r}): the scenario's steps do not match"
            )
        return dict(self.arguments)


class _Falsified(Exception):
    def __init__(self, trial: Trial) -> None:
        super().__init__(trial.interaction.first.request.line)
        self.trial = trial


@dataclass
class _Trials:
    budget: Budget
    started: float = field(default_factory=time.monotonic)
    seen: dict[Plan, Trial] = field(default_factory=dict)
    order: list[Trial] = field(default_factory=list)

    def exhausted(self) -> bool:
        late = time.monotonic() - self.started > self.budget.seconds
        return bool(self.order) and (late or len(self.order) >= self.budget.trials)

    def add(self, trial: Trial) -> None:
        self.seen[trial.plan] = trial
        self.order.append(trial)


def unexplorable(name: str, space: SearchSpace) -> str | None:
    """Why a property cannot be explored on a space (no values to build searches from), or None."""
    prop = PROPERTIES[name]
    if prop.needs_dates and not date_parameters(space):
        return f"the known {space.resource_type} records hold no value of a declared date search parameter"
    if criteria(space).is_empty:
        return f"the known {space.resource_type} records hold no value of a declared search parameter"
    return None


def _trial(prop: SearchProperty, searcher: Searcher, space: SearchSpace, plan: Plan, error_codes: str) -> Trial:
    interaction, arguments = prop.act(searcher, space, plan, error_codes)
    sides = [interaction, *(value for value in arguments.values() if isinstance(value, Interaction))]
    refused = not prop.judges_refusals and any(400 <= (side.first.status or 0) < 500 or _ignored(side) for side in sides)
    findings = () if refused else tuple(CHECKS.get(prop.check).run(interaction, **arguments))
    return Trial(plan, interaction, arguments, findings, refused)


def _ignored(side: Interaction) -> bool:
    """Whether the searchset's self link leaves out a criterion the request sent: the server ignored it (STU3 lets
    it ignore what it does not support), so the answer says nothing about that criterion."""
    first = side.first
    sent = [(key, value) for key, value in parse_qsl(urlsplit(first.request.url).query, keep_blank_values=True) if key not in _RESULT_PARAMETERS]
    return bool(sent) and bool(left_out(first, sent)[0])


def explore(name: str, client: FhirClient, space: SearchSpace, budget: Budget, *, error_codes: str = "fhir") -> Exploration:
    """Explore property `name` on `space` through `client`; the returned exploration names what to judge.

    NotApplicable when the space's records hold nothing the property can build searches from. The base search is
    made first, and every record it returns joins the records values are taken from.
    """
    not_applicable(unexplorable(name, space))
    prop = PROPERTIES[name]
    searcher = Searcher(client, space.resource_type)
    found, _ = result_keys(searcher.get(space.base))
    space = space.with_records(list(found.values()))
    trials = _Trials(budget)

    def attempt(plan: Plan) -> None:
        trial = trials.seen.get(plan)
        if trial is None:
            if trials.exhausted():
                return
            trial = _trial(prop, searcher, space, plan, error_codes)
            trials.add(trial)
        if trial.failed:
            raise _Falsified(trial)

    run = settings(
        max_examples=budget.examples,
        deadline=None,
        derandomize=budget.seed is None,
        database=None,
        phases=(Phase.generate, Phase.shrink),
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        print_blob=False,
    )(given(plan=prop.plans(space))(attempt))
    if budget.seed is not None:
        run = seed(budget.seed)(run)
    try:
        run()
    except _Falsified as falsified:
        return _falsified(prop, falsified.trial, trials, budget, searcher)
    return _held(prop, trials, budget, searcher)


def _falsified(prop: SearchProperty, trial: Trial, trials: _Trials, budget: Budget, searcher: Searcher) -> Exploration:
    failing = [t for t in trials.order if t.failed]
    first = failing[0]
    nth = _ordinal(trials.order.index(first) + 1)
    if trial is first:
        story = f"falsified: hypothesis's {nth} generated search failed and no smaller one fails, so it is the minimal one"
    else:
        story = f"falsified: hypothesis's {nth} generated search failed ({first.plan.describe()}) and was shrunk to this minimal one"
    counts = f"{len(trials.order)} tried, {len(failing)} failing, {searcher.sent} requests; {budget.describe()}"
    return _exploration(prop, trial, trials, f"{story} ({counts})", falsified=True, searcher=searcher)


def _held(prop: SearchProperty, trials: _Trials, budget: Budget, searcher: Searcher) -> Exploration:
    judged = [t for t in trials.order if not t.refused]
    refused = len(trials.order) - len(judged)
    counts = f"{searcher.sent} requests; {budget.describe()}"
    if not judged:
        story = f"every one of the {len(trials.order)} generated searches was refused or had a criterion ignored ({counts})"
        return _exploration(prop, trials.order[-1], trials, story, falsified=False, searcher=searcher)
    not_judged = f", {refused} refused with 4xx (or with a criterion the self link says was ignored) and not judged" if refused else ""
    story = f"held for all {len(judged)} judged generated searches{not_judged} ({counts}); the last is shown"
    return _exploration(prop, judged[-1], trials, story, falsified=False, searcher=searcher)


def _exploration(prop: SearchProperty, trial: Trial, trials: _Trials, story: str, *, falsified: bool, searcher: Searcher) -> Exploration:
    return Exploration(
        property=prop.name,
        check=prop.check,
        interaction=trial.interaction,
        arguments={**trial.arguments, "explored": story},
        tried=len(trials.order),
        refused=sum(1 for t in trials.order if t.refused),
        falsified=falsified,
        requests=searcher.sent,
    )


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
