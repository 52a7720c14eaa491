"""Security vocabulary: forged tokens, Patient-only and patient-context clients, writes with a read token, Spine audit JWTs, TLS probes."""

from pytest_bdd import given, parsers, then, when

from carecheck.checks import Verdict
from carecheck.http import Interaction
from carecheck.probe import SecurityProbes, TlsProbes, WriteProbes

TYPE = r"(?P<resource_type>[A-Z][A-Za-z]+)"


@given("the target authenticates with access tokens")
def _(security: SecurityProbes) -> None:
    security.require_access_tokens()


@given("the target authenticates with Spine audit JWTs")
def _(security: SecurityProbes) -> None:
    security.require_spine()


@given("the server accepts the real claims signed with the profile's token signing key")
def _(security: SecurityProbes) -> None:
    security.require_trusted_signing()


@when("the client asks for the capability statement without a token", target_fixture="interaction")
def _(security: SecurityProbes) -> Interaction:
    return security.metadata_without_token()


@when(parsers.parse('the client searches every declared resource type with the "{case}" token'), target_fixture="interaction")
def _(security: SecurityProbes, case: str) -> Interaction:
    return security.forged_everywhere(case)


@then(parsers.re(r"every request is refused with (?P<statuses>\d{3}(?: or \d{3})*)"))
def _(verdict: Verdict, interaction: Interaction, statuses: str) -> None:
    verdict.judge("token_refused", interaction, statuses=[int(status) for status in statuses.split(" or ")])


@when(parsers.re(rf"the Patient-only client searches {TYPE}"), target_fixture="interaction")
def _(security: SecurityProbes, resource_type: str) -> Interaction:
    return security.patient_only(resource_type)


@when(parsers.re(rf"the Patient-only client searches Patient including the {TYPE} records that refer to them"), target_fixture="interaction")
def _(security: SecurityProbes, resource_type: str) -> Interaction:
    return security.patient_only_including(resource_type)


@then("every request is served")
def _(verdict: Verdict, interaction: Interaction) -> None:
    verdict.judge("token_accepted", interaction)


@then("the request is refused as outside the token's scopes")
def _(verdict: Verdict, interaction: Interaction) -> None:
    verdict.judge("scope_refused", interaction)


@then(parsers.parse("the answer holds nothing outside the token's scopes: {allowed}"))
def _(verdict: Verdict, interaction: Interaction, allowed: str) -> None:
    verdict.judge("scope_respected", interaction, allowed=[name.strip() for name in allowed.split(",")])


@when("the patient-context client reads its own patient", target_fixture="interaction")
def _(security: SecurityProbes) -> Interaction:
    return security.context_read(security.context_patient())


@when("the patient-context client reads another patient", target_fixture="interaction")
def _(security: SecurityProbes) -> Interaction:
    return security.context_read(security.another_patient("Patient"))


@when("the patient-context client searches Patient with no criteria", target_fixture="interaction")
def _(security: SecurityProbes) -> Interaction:
    return security.context_search("Patient")


@when(parsers.re(rf"the patient-context client searches {TYPE} for its own patient"), target_fixture="interaction")
def _(security: SecurityProbes, resource_type: str) -> Interaction:
    return security.context_search(resource_type, security.context_patient())


@when(parsers.re(rf"the patient-context client searches {TYPE} for another patient"), target_fixture="interaction")
def _(security: SecurityProbes, resource_type: str) -> Interaction:
    return security.context_search(resource_type, security.another_patient(resource_type))


@then("the answer holds no other patient's records")
def _(verdict: Verdict, interaction: Interaction, security: SecurityProbes) -> None:
    verdict.judge("patient_context_respected", interaction, patient=security.context_patient())


@when(parsers.parse("the client sends a {method} of a Patient with its read-only token"), target_fixture="interaction")
def _(write_probes: WriteProbes, method: str) -> Interaction:
    return write_probes.send(method, "Patient")


@then("the write is refused")
def _(verdict: Verdict, interaction: Interaction, write_probes: WriteProbes) -> None:
    verdict.judge("write_refused", interaction, cleanup=write_probes.cleanup_of(interaction))


@when("the client searches the requested record's patient twice", target_fixture="interaction")
def _(security: SecurityProbes) -> Interaction:
    return security.spine_well_formed()


@when(parsers.parse('the client searches the requested record\'s patient with the "{case}" audit JWT'), target_fixture="interaction")
def _(security: SecurityProbes, case: str) -> Interaction:
    return security.spine_forged(case)


@given("the base URL is https")
def _(tls: TlsProbes) -> None:
    tls.require_https()


@when("the client connects verifying the server's certificate", target_fixture="interaction")
def _(tls: TlsProbes) -> Interaction:
    return tls.certificate()


@then("the certificate verifies")
def _(verdict: Verdict, interaction: Interaction) -> None:
    verdict.judge("certificate_verified", interaction)


@when("the client offers TLS 1.2 or higher", target_fixture="interaction")
def _(tls: TlsProbes) -> Interaction:
    return tls.modern()


@then("the handshake completes")
def _(verdict: Verdict, interaction: Interaction) -> None:
    verdict.judge("tls_accepted", interaction)


@when("the client offers only TLS 1.0, then only TLS 1.1", target_fixture="interaction")
def _(tls: TlsProbes) -> Interaction:
    return tls.old_versions()


@when("the client offers only weak cipher suites, one family at a time", target_fixture="interaction")
def _(tls: TlsProbes) -> Interaction:
    return tls.weak_suites()


@then("every handshake is refused")
def _(verdict: Verdict, interaction: Interaction) -> None:
    verdict.judge("tls_refused", interaction)


@when("the client asks for the capability statement over plain HTTP", target_fixture="interaction")
def _(tls: TlsProbes) -> Interaction:
    return tls.plain_http()


@then("the plain HTTP request is refused or redirected to https")
def _(verdict: Verdict, interaction: Interaction) -> None:
    verdict.judge("plain_http_refused", interaction)


@when("the client asks for the capability statement over HTTPS", target_fixture="interaction")
def _(tls: TlsProbes) -> Interaction:
    return tls.metadata()


@then("the answer carries Strict-Transport-Security")
def _(verdict: Verdict, interaction: Interaction) -> None:
    verdict.judge("hsts_header", interaction)
