"""How `junit.xml` and the Allure results state a scenario: in carecheck's own words, with its requirements.

Left alone, pytest and allure-pytest-bdd describe a failed check by its exception
(`carecheck.checks.verdict.CheckFailed: …`) and know nothing of requirements. So a failed scenario's pytest
report carries the check's message itself (junit.xml's `<failure message>`, `pytest.log`); every scenario's
junit test case lists its requirement ids as properties (`<property name="requirement" value="CC-READ"/>`);
and each Allure result gets the scenario's outcome message through allure's own `report_result` hook, called
just before allure writes the result file, so a failure reads as the check wrote it and a not-applicable or
inconclusive scenario says why (and a step's parameters are what its text says, not the run's fixtures).
A scenario's Allure title path starts `features/` for carecheck's and `own/` for a supplier's, wherever the
two folders are.
"""

from __future__ import annotations

import allure_commons
import pytest
from allure_commons.model2 import Status, StatusDetails, TestResult, TestStepResult

from carecheck.project import FEATURES, OWN_PREFIX
from carecheck.run.own_features import own_folder

__all__ = ["REQUIREMENT_PROPERTY", "AllureOutcomes", "record_requirements", "state_failure"]

REQUIREMENT_PROPERTY = "requirement"
_SAID_AS = {"not-applicable": "not applicable", "inconclusive": "inconclusive", "waived": "waived", "skipped": "skipped"}


def record_requirements(item: pytest.Item, requirements: tuple[str, ...] | list[str]) -> None:
    """Add each requirement id once to the test case's junit properties."""
    listed = {value for name, value in item.user_properties if name == REQUIREMENT_PROPERTY}
    item.user_properties.extend((REQUIREMENT_PROPERTY, requirement) for requirement in dict.fromkeys(requirements) if requirement not in listed)


def state_failure(report: pytest.TestReport, outcome: str, message: str) -> None:
    """A failed scenario's report says the check's message, not the exception that carried it (a harness
    error keeps its traceback: it is carecheck's bug to find)."""
    if outcome == "failed":
        report.longrepr = message


def _step_parameters_from_text(steps: list[TestStepResult]) -> None:
    """Keep a step's parameters only when its text says them: allure lists every argument of the step function,
    the run's fixtures too (`<carecheck.http.client.FhirClient object at 0x…>`), which tell a reader nothing."""
    for step in steps:
        step.parameters = [p for p in step.parameters if str(p.value).strip("'\"") in str(step.name)]
        _step_parameters_from_text(step.steps)


class AllureOutcomes:
    """An allure_commons plugin: the outcome carecheck recorded for the scenario now ending, put into its Allure
    result before the file is written. Scenarios end one at a time in a process, each written at its teardown."""

    def __init__(self, titles: dict[tuple[str, ...], str] | None = None) -> None:
        self._pending: tuple[str, str, str] | None = None
        self._titles = titles or {}  # a features folder's path under the rootdir, as title paths start: its name

    def expect(self, scenario_name: str, outcome: str, message: str) -> None:
        self._pending = (scenario_name, outcome, message)

    @allure_commons.hookimpl(tryfirst=True)
    def report_result(self, result: TestResult) -> None:
        _step_parameters_from_text(result.steps)
        for start, name in self._titles.items():
            if tuple(result.titlePath[: len(start)]) == start:
                result.titlePath = [name, *result.titlePath[len(start) :]]
                break
        pending, self._pending = self._pending, None
        if pending is None or not str(result.fullName or "").endswith(f":{pending[0]}"):
            return
        _, outcome, message = pending
        if outcome == "passed" or not message:
            return
        text = message if outcome in ("failed", "error") else f"{_SAID_AS.get(outcome, outcome)}: {message}"
        trace = result.statusDetails.trace if outcome == "error" and result.statusDetails else None
        result.statusDetails = StatusDetails(message=text, trace=trace)
        if outcome == "failed":
            for step in result.steps:
                if step.status == Status.FAILED:
                    step.statusDetails = StatusDetails(message=message)  # the step that raised the check's failure

    @classmethod
    def follow(cls, config: pytest.Config) -> AllureOutcomes | None:
        """Register with allure for this session when it writes Allure results (None otherwise)."""
        if not getattr(config.option, "allure_report_dir", None):
            return None
        root = config.rootpath.resolve()
        folders = {FEATURES.resolve(): "features", **({own: OWN_PREFIX} if (own := own_folder(config)) else {})}
        outcomes = cls({folder.relative_to(root).parts: name for folder, name in folders.items() if folder.is_relative_to(root)})
        allure_commons.plugin_manager.register(outcomes)
        config.add_cleanup(lambda: allure_commons.plugin_manager.unregister(outcomes))
        return outcomes
