"""Which carecheck judged a run (its version, its git commit when known, a digest of the feature files) and where.

Two reports made by the same version can still differ in their scenarios (a checkout with local changes, a
supplier's own features), so a run records all three (`run.json`, then the summary, `report.html` and the
Allure environment). The commit comes from the installed package's PEP 610 record (`pip install git+…`) or
from the checkout the package runs from; it is None when neither says (no git, not a checkout), never an error.
Where: the CI job that ran it (GitHub Actions, GitLab CI), from the variables those engines set, or this host.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from carecheck import __version__
from carecheck.project import CHECKOUT, FEATURES

__all__ = ["checkout_commit", "executor_facts", "features_digest", "harness_facts", "harness_text", "installed_commit"]

_GIT_SECONDS = 5


def installed_commit(distribution: str = "carecheck") -> str | None:
    """The commit pip recorded when the package was installed from a VCS URL (PEP 610 `direct_url.json`)."""
    try:
        text = metadata.distribution(distribution).read_text("direct_url.json")
        data = json.loads(text) if text else {}
    except (metadata.PackageNotFoundError, ValueError):
        return None
    commit = (data.get("vcs_info") or {}).get("commit_id") if isinstance(data, dict) else None
    return str(commit) if commit else None


def _git(folder: Path, *arguments: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(folder), *arguments], capture_output=True, text=True, timeout=_GIT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        return None  # no git on this machine, or it hung
    return done.stdout.strip() if done.returncode == 0 else None


def checkout_commit(folder: Path) -> str | None:
    """The commit `folder` is checked out at, `+dirty` when tracked files differ from it; None unless `folder`
    is the top of a git work tree (a package installed inside someone else's repository is not its checkout)."""
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != folder.resolve():
        return None
    commit = _git(folder, "rev-parse", "HEAD")
    if commit is None:
        return None
    changed = _git(folder, "status", "--porcelain", "--untracked-files=no")
    return f"{commit}+dirty" if changed else commit


def features_digest(folders: Iterable[Path]) -> str:
    """sha256 over every `.feature` file under `folders`: each file's path (relative to its folder) and bytes."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*.feature")):
            digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def harness_facts(own_features: Path | None = None) -> dict[str, Any]:
    """`harness_version`, `harness_commit` (None when unknown) and `features_sha256` (carecheck's features and the
    supplier's own, when the run has them), as `run.json` keeps them."""
    return {
        "harness_version": __version__,
        "harness_commit": installed_commit() or (checkout_commit(CHECKOUT) if CHECKOUT else None),
        "features_sha256": features_digest([FEATURES, *([own_features] if own_features else [])]),
    }


def harness_text(run: Mapping[str, Any]) -> str:
    """`carecheck 0.1.0 (commit 1a2b3c4d5e6f, features sha256 0f1e2d3c4b5a)` from a run's facts; what is unknown is said so."""
    commit = run.get("harness_commit")
    features = run.get("features_sha256")
    details = [f"commit {str(commit)[:12]}{'+dirty' if str(commit).endswith('+dirty') else ''}" if commit else "commit unknown"]
    details += [f"features sha256 {str(features)[:12]}"] if features else []
    return f"carecheck {run.get('harness_version', '?')} ({', '.join(details)})"


def executor_facts(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Where the run ran: `name`, `type`, and for a CI job its `build` (pipeline and job) and `url`."""
    env = os.environ if environ is None else environ
    if env.get("GITHUB_ACTIONS") == "true":
        server, repository, run_id = env.get("GITHUB_SERVER_URL", ""), env.get("GITHUB_REPOSITORY", ""), env.get("GITHUB_RUN_ID", "")
        return {
            "name": "GitHub Actions",
            "type": "github",
            "build": f"{repository} {env.get('GITHUB_WORKFLOW', '')} #{env.get('GITHUB_RUN_NUMBER', '?')} ({env.get('GITHUB_JOB', '')})",
            "url": f"{server}/{repository}/actions/runs/{run_id}" if server and repository and run_id else "",
        }
    if env.get("GITLAB_CI") == "true":
        return {
            "name": "GitLab CI",
            "type": "gitlab",
            "build": f"{env.get('CI_PROJECT_PATH', '')} pipeline #{env.get('CI_PIPELINE_IID', '?')} ({env.get('CI_JOB_NAME', '')})",
            "url": env.get("CI_JOB_URL", ""),
        }
    return {"name": socket.gethostname(), "type": "local", "build": "", "url": ""}
