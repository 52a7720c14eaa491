"""One owner per run: against a real loopback server that counts what it is asked, a run reads the profile once,
the CapabilityStatement once, asks for each client's token once and discovers the test data once, serially and with
two workers; the pytest process and its workers get all of it handed over (they could not load the profile: its
secret is gone from the environment by then), and the reports are written once. Before the hand-over, a target that
cannot be run leaves no report folder."""

from __future__ import annotations

import base64
import io
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import jwt
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from carecheck.config import load_target
from carecheck.errors import AuthError, TestDataMissing
from carecheck.project import DATA
from carecheck.refserver import EmbeddedServer, SecuritySettings, create_app
from carecheck.run import RunOptions, run, session
from carecheck.run.owner import obtain_facts
from carecheck.run.progress import Progress

pytestmark = pytest.mark.e2e

KEYS = DATA / "keys"
SECRET = "CARECHECK_OWNER_TEST_SECRET"
MEAKIN = "2f88064f-8dc3-4763-af75-94faf6b08b18"


class Counting:
    """Wraps an ASGI app and keeps (method, path, sorted query, client) of every request: the client is the one a
    token request authenticates as (Basic), or the one the bearer token was issued to."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.requests: list[tuple[str, str, str, str | None]] = []
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
            query = "&".join(f"{k}={v}" for k, v in sorted(parse_qsl(scope["query_string"].decode(), keep_blank_values=True)))
            with self._lock:
                self.requests.append((scope["method"], scope["path"], query, _client(headers.get("authorization", ""))))
        await self.app(scope, receive, send)

    def count(self, method: str, path: str, query: str = "", client: str | None = None) -> int:
        return sum(1 for r in self.requests if r[:2] == (method, path) and (not query or r[2] == query) and (client is None or r[3] == client))


def _client(authorization: str) -> str | None:
    scheme, _, credentials = authorization.partition(" ")
    if scheme == "Basic":
        return base64.b64decode(credentials).decode().partition(":")[0]
    if scheme == "Bearer":
        try:
            return str(jwt.decode(credentials, options={"verify_signature": False}).get("client_id"))
        except jwt.PyJWTError:
            return None
    return None


@pytest.fixture
def counted() -> Iterator[tuple[Counting, str]]:
    app = Counting(create_app(auth=SecuritySettings.load(signing_key=KEYS / "carecheck-refserver-rs256.private.pem")))
    with EmbeddedServer(app) as server:
        yield app, server.base_url


def secret_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **replacements: str) -> Path:
    """The reference profile with its client's secret in an environment variable of this test only."""
    text = (DATA / "targets" / "reference.yaml").read_text().replace("../keys/", f"{KEYS}/")
    text = text.replace("${CARECHECK_REFERENCE_SECRET:-demo-all-64e98961bc4161b9}", "${" + SECRET + "}")
    for old, new in replacements.items():
        text = text.replace(old, new)
    path = tmp_path / "owned.yaml"
    path.write_text(text)
    monkeypatch.setenv(SECRET, "demo-all-64e98961bc4161b9")
    return path


@pytest.mark.parametrize("workers", [1, 2])
def test_every_fact_of_a_run_is_obtained_once_and_the_reports_are_written_once(
    counted: tuple[Counting, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    app, base_url = counted
    profile = secret_profile(tmp_path, monkeypatch)
    loads, writes = Counter[str](), Counter[str]()

    def load_once(*args: Any, **kwargs: Any) -> Any:
        loads["profile"] += 1
        return load_target(*args, **kwargs)

    def obtain_then_forget_the_secret(*args: Any, **kwargs: Any) -> Any:
        setup = obtain_facts(*args, **kwargs)
        monkeypatch.delenv(SECRET)  # from here on, loading the profile fails: pytest and its workers must not
        return setup

    def write_once(report_dir: Path, *pack: Any) -> Any:
        writes["reports"] += 1
        return written(report_dir, *pack)

    written = session.write_reports
    monkeypatch.setattr(session, "load_target", load_once)
    monkeypatch.setattr(session, "obtain_facts", obtain_then_forget_the_secret)
    monkeypatch.setattr(session, "write_reports", write_once)
    options = RunOptions(targets=(str(profile),), base_url=base_url, report_dir=tmp_path / "run", tags="scope", workers=workers)
    [result] = run(options, Progress(stream=io.StringIO()))

    assert result.summary["totals"]["scenarios"] == 32 and result.summary["totals"]["error"] == 0, result.describe()
    assert result.summary["totals"]["passed"] == 32, result.failures()
    assert loads["profile"] == 1 and writes["reports"] == 1
    assert app.count("GET", "/STU3/metadata") == 1, "the CapabilityStatement (no scope scenario reads it itself)"
    for client in ("carecheck-all", "carecheck-patient-only", "carecheck-patient-context"):
        assert app.count("POST", "/auth/token", client=client) == 1, f"{client}'s token, handed to pytest and its workers"
    for resource_type in ("Condition", "Observation", "Immunization"):
        assert app.count("GET", f"/STU3/{resource_type}", f"_count=50&patient={MEAKIN}", "carecheck-all") == 1, f"discovery of {resource_type}"
    assert app.count("GET", f"/STU3/Patient/{MEAKIN}", client="carecheck-all") == 1, "the pinned patient, read once for the check and discovery"
    assert app.count("GET", "/STU3/.well-known/smart-configuration") == 0, "the token URL comes from the statement"
    evidence = tmp_path / "run" / "evidence" / "_run"
    assert sorted(path.name for path in evidence.iterdir()) == ["auth", "auth-patient-context", "auth-patient-only", "capability", "discovery"]
    assert [path.name for path in (evidence / "capability").iterdir()] == ["001-GET-metadata.json"]
    assert (tmp_path / "run" / "capability-statement.json").is_file()
    assert result.summary["scope"]["workers"] == {"asked": workers, "used": workers}


def test_a_target_that_refuses_the_profile_s_credentials_stops_before_any_report_folder(
    counted: tuple[Counting, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, base_url = counted
    profile = secret_profile(tmp_path, monkeypatch)
    monkeypatch.setenv(SECRET, "not-the-secret")
    with pytest.raises(AuthError, match="/auth/token -> 401"):
        run(RunOptions(targets=(str(profile),), base_url=base_url, report_dir=tmp_path / "run", tags="scope"), Progress(stream=io.StringIO()))
    assert not (tmp_path / "run").exists()
    assert app.count("GET", "/STU3/metadata") == 1 and app.count("POST", "/auth/token") == 1


def test_pinned_data_the_target_lacks_stops_the_run_and_discovery_reads_what_the_check_read(
    counted: tuple[Counting, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, base_url = counted
    profile = secret_profile(tmp_path, monkeypatch, **{"Organization: ods-c81010": "Organization: no-such-organisation"})
    target = load_target(str(profile), base_url=base_url)
    with pytest.raises(TestDataMissing, match=r"testdata.records.Organization: Organization/no-such-organisation is not on the server"):
        obtain_facts(target, base_url)
    assert app.count("GET", "/STU3/Organization/no-such-organisation") == 1
    setup = obtain_facts(target.model_copy(update={"testdata": target.testdata.model_copy(update={"if_missing": "continue"})}), base_url)
    assert app.count("GET", "/STU3/Organization/no-such-organisation") == 2, "once per set-up: the check and discovery share the read"
    assert "Organization/no-such-organisation from the test data (testdata.records.Organization) could not be read: answered 404" in setup.facts.known["notes"]
    assert setup.facts.tokens["auth"][0] and setup.banner is None and setup.facts.statement["resourceType"] == "CapabilityStatement"


def test_a_statement_answered_only_to_a_token_is_read_again_with_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def closed_metadata(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/STU3/metadata" and not any(name == b"authorization" for name, _ in scope["headers"]):
            body = b'{"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "login"}]}'
            await send({"type": "http.response.start", "status": 401, "headers": [(b"content-type", b"application/fhir+json")]})
            await send({"type": "http.response.body", "body": body})
            return
        await inner(scope, receive, send)

    inner = create_app(auth=SecuritySettings.load())
    profile = secret_profile(tmp_path, monkeypatch, **{"token_url: discover": "token_url: http://placeholder/auth/token"})
    with EmbeddedServer(closed_metadata) as server:
        token_url = server.base_url.replace("/STU3", "/auth/token")
        target = load_target(str(profile), base_url=server.base_url)
        target = target.model_copy(update={"auth": target.auth.model_copy(update={"token_url": token_url, "patient_only": None, "patient_context": None})})
        setup = obtain_facts(target, server.base_url)
    assert setup.facts.statement["resourceType"] == "CapabilityStatement"
    recorded = setup.evidence.folders["capability"]
    assert [exchange.status for exchange in recorded] == [401, 200]


def test_hypothesis_keeps_its_caches_outside_the_report_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The pytest process runs from the report folder: left alone, hypothesis would write `.hypothesis/` there (sealed
    into the pack, and cold every run). Its storage goes to the user's cache folder, unless the user set one."""
    monkeypatch.delenv("HYPOTHESIS_STORAGE_DIRECTORY", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert session._environment()["HYPOTHESIS_STORAGE_DIRECTORY"] == str(tmp_path / "cache" / "carecheck" / "hypothesis")
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(tmp_path / "mine"))
    assert session._environment()["HYPOTHESIS_STORAGE_DIRECTORY"] == str(tmp_path / "mine")
