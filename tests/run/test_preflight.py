"""The preflight against real servers: a base URL that is not FHIR is said to be so before anything about tokens,
and a server of another FHIR version gets its banner, or stops the run when the profile says so."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from carecheck.config import Target
from carecheck.errors import TargetUnreachable, WrongServer
from carecheck.refserver import EmbeddedServer
from carecheck.run.preflight import check_fhir_version, check_reachable

XML_STATEMENT = b'<CapabilityStatement xmlns="http://hl7.org/fhir"><status value="active"/><fhirVersion value="3.0.1"/></CapabilityStatement>'


Serve = Callable[[int, bytes, str], str]


def answering(status: int, body: bytes, media_type: str) -> Callable[[Scope, Receive, Send], object]:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await Response(body, status_code=status, media_type=media_type)(scope, receive, send)

    return app


@pytest.fixture
def serve() -> Iterator[Serve]:
    servers: list[EmbeddedServer] = []

    def start(status: int, body: bytes, media_type: str) -> str:
        server = EmbeddedServer(answering(status, body, media_type))
        servers.append(server)
        return server.__enter__().base_url

    yield start
    for server in servers:
        server.__exit__(None, None, None)


def test_an_html_404_is_no_fhir_base_url(serve: Serve) -> None:
    base = serve(404, b"<html><body>Not Found</body></html>", "text/html")
    with pytest.raises(WrongServer) as error:
        check_reachable(base)
    message = str(error.value)
    assert message.startswith(f"{base}/metadata answered 404 (text/html; charset=utf-8) with 35 byte(s) that are not a FHIR resource")
    assert "not a CapabilityStatement: is this the FHIR base URL?" in message and "token" not in message
    assert isinstance(error.value, TargetUnreachable), "exit code 3, like an unreachable target"


def test_json_that_is_no_capability_statement_is_no_fhir_base_url(serve: Serve) -> None:
    with pytest.raises(WrongServer, match=r"answered 200 \(application/json\) with a FHIR Patient, not a CapabilityStatement"):
        check_reachable(serve(200, b'{"resourceType": "Patient", "id": "1"}', "application/json"))
    with pytest.raises(WrongServer, match="that are not a FHIR resource"):
        check_reachable(serve(200, b'{"status": "ok"}', "application/json"))


def test_a_capability_statement_in_json_or_xml_passes_and_an_operation_outcome_lets_the_run_judge_it(serve: Serve) -> None:
    assert check_reachable(serve(200, b'{"resourceType": "CapabilityStatement", "fhirVersion": "3.0.1"}', "application/fhir+json"))[1]["fhirVersion"] == "3.0.1"
    assert check_reachable(serve(200, XML_STATEMENT, "application/fhir+xml"))[1] == {"resourceType": "CapabilityStatement", "fhirVersion": "3.0.1"}
    outcome = b'{"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "login"}]}'
    assert check_reachable(serve(401, outcome, "application/fhir+json"))[1] == {}


def slow_statement(seconds: float) -> Callable[[Scope, Receive, Send], object]:
    """A server that takes `seconds` to build its statement (a cold start)."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await asyncio.sleep(seconds)
        await Response(b'{"resourceType": "CapabilityStatement", "fhirVersion": "3.0.1"}', media_type="application/fhir+json")(scope, receive, send)

    return app


def test_a_statement_slow_to_come_is_waited_for_within_the_profile_s_timeout_and_no_longer() -> None:
    with EmbeddedServer(slow_statement(1.5)) as server:
        assert check_reachable(server.base_url, settings={"timeout": 4.0})[1]["fhirVersion"] == "3.0.1", "slow, not unreachable"
        with pytest.raises(TargetUnreachable, match=r"/metadata: no answer within 0\.5 s"):
            check_reachable(server.base_url, settings={"timeout": 0.5})


def test_another_fhir_version_is_a_banner_or_stops_the_run() -> None:
    going_on = Target(name="t", base_url="http://x")
    assert check_fhir_version({"fhirVersion": "3.0.1"}, going_on) is None
    assert check_fhir_version({}, going_on) is None
    banner = check_fhir_version({"resourceType": "CapabilityStatement", "fhirVersion": "4.0.1"}, going_on)
    assert banner == "this server declares FHIR 4.0.1; Care Connect is STU3 (3.0.x): failures of the version and of the STU3 profiles follow from it"
    with pytest.raises(WrongServer, match=r"this server declares FHIR 1.0.2; Care Connect is STU3 \(3.0.x\), and the profile says other_fhir_version: stop"):
        check_fhir_version({"resourceType": "Conformance", "fhirVersion": "1.0.2"}, Target(name="t", base_url="http://x", other_fhir_version="stop"))
