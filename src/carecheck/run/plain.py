"""The suites under plain pytest (`pytest SUITES --target reference --report-dir DIR`): the plugin owns the run.

`carecheck run` obtains the run's facts and writes the reports itself, and hands pytest the facts. A pytest session
started some other way has nobody to do either, so the plugin does the same, once, in that session (its controller, in
a parallel session): it loads the profile its options name, serves or reaches the target, obtains the facts through
the same owner (`carecheck.run.owner`), and when the session ends writes the reports. A target that cannot be run is a
usage error naming why, as `carecheck run` says it.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from carecheck.baseline import load_baseline
from carecheck.config import load_target, resolve_target_path, tested_at
from carecheck.errors import AuthError, ConfigError, TargetUnreachable, TestDataMissing, WrongServer
from carecheck.evidence import EvidenceWriter, check_report_dir, read_pack
from carecheck.fhir import load_waivers
from carecheck.report import write_cleanup, write_reports
from carecheck.run.context import now
from carecheck.run.facts import RunFacts
from carecheck.run.interrupts import FINISHED
from carecheck.run.own_features import own_folder
from carecheck.run.owner import obtain_facts
from carecheck.run.selection import select, suite_definitions
from carecheck.run.server import target_server

__all__ = ["PlainRun"]


@dataclass
class PlainRun:
    """The run of a plain pytest session: its facts, its report folder's writer (with `--report-dir`), and the
    embedded server it may have started, kept until the session ends."""

    facts: RunFacts
    writer: EvidenceWriter | None
    _resources: ExitStack
    _scope: dict[str, Any]

    @classmethod
    def start(cls, config: pytest.Config) -> PlainRun:
        """Load the profile the session's options name and obtain the run's facts; UsageError saying what is wrong."""
        option = config.getoption
        resources = ExitStack()
        try:
            file = resolve_target_path(option("target")).resolve()
            ca_bundle = Path(option("ca_bundle")) if option("ca_bundle") else None
            profile = load_target(str(file), ca_bundle=ca_bundle)
            target = tested_at(profile, option("base_url"), file)
            waivers_file = Path(option("waivers")) if option("waivers") else target.waivers
            baseline_file = Path(option("baseline")) if option("baseline") else target.baseline
            report_dir = Path(option("report_dir")).resolve() if option("report_dir") else None
            selection = select(None, config.option.markexpr or None, suite_definitions(), own_folder(config))
            if report_dir is not None:
                check_report_dir(report_dir)
            base_url = resources.enter_context(target_server(target))
            setup = obtain_facts(
                target,
                base_url,
                report_dir=report_dir,
                waivers=tuple(load_waivers(waivers_file)) if waivers_file else (),
                baseline=load_baseline(baseline_file) if baseline_file else None,
                hypothesis_seed=option("hypothesis_seed", default=None),
            )
        except (ConfigError, TargetUnreachable, WrongServer, AuthError, TestDataMissing) as error:
            resources.close()
            raise pytest.UsageError(f"carecheck: {error}") from None
        except BaseException:
            resources.close()
            raise
        scope = {
            **selection.to_data(),
            "profile": str(file),
            "base_url": {"tested": base_url, "profile": profile.base_url, "override": option("base_url")},
            "runner": "pytest",
        }
        writer = None
        if report_dir is not None:
            writer = setup.open_pack(report_dir, scope=scope, started=now(), own_features=own_folder(config), waivers_file=waivers_file)
        return cls(setup.facts, writer, resources, scope)

    def collected(self, count: int) -> None:
        """pytest's own options (`-k`, node ids, `--deselect`) may narrow what `-m` selected: the scope then says how
        many scenarios ran (the per-requirement counts stay those of the tags)."""
        scenarios = self._scope["scenarios"]
        if self.writer is not None and count != scenarios["selected"]:
            self._scope = {**self._scope, "scenarios": {**scenarios, "selected": count}, "narrowed_by_pytest_options": True}
            self.writer.update_run(scope=self._scope)

    def finish(self, exitstatus: int) -> None:
        """Complete `run.json` and write every report from the evidence (after junit.xml and the Allure results)."""
        try:
            if self.writer is not None:
                interrupted = exitstatus not in FINISHED
                pack = read_pack(self.writer.report_dir)
                self.writer.update_run(ended=now(), interrupted=interrupted, write_cleanup=write_cleanup(pack))
                write_reports(self.writer.report_dir, pack)
        finally:
            self._resources.close()
