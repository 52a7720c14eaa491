"""Target profiles: loading, `${ENV}` expansion, overrides, and one-line errors naming the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecheck.config import load_target, resolve_target_path
from carecheck.errors import ConfigError
from carecheck.project import data_path

GOOD = """
name: supplier
base_url: https://fhir.example.nhs.uk/STU3/
auth:
  type: bearer
  token: ${SUPPLIER_TOKEN}
testdata:
  patient:
    id: "42"
    nhs_number: "9876543210"
    family: Kanfeld
    birthdate: 1998-03-19
"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "target.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_good_profile_loads_with_its_secret_from_the_environment(tmp_path: Path) -> None:
    target = load_target(write(tmp_path, GOOD), env={"SUPPLIER_TOKEN": "s3cr3t-token"})
    assert target.base_url == "https://fhir.example.nhs.uk/STU3"
    assert target.secrets() == ("s3cr3t-token",)
    assert target.testdata.patient is not None and target.testdata.patient.birth_year == "1998"
    assert "s3cr3t-token" not in str(target.redacted())
    assert "s3cr3t-token" not in repr(target)


def test_writes_are_harmless_probes_unless_the_profile_forbids_every_write(tmp_path: Path) -> None:
    assert load_target(write(tmp_path, GOOD), env={"SUPPLIER_TOKEN": "t"}).writes == "probe"
    assert load_target(write(tmp_path, GOOD + "writes: never\n"), env={"SUPPLIER_TOKEN": "t"}).writes == "never"


def test_the_base_url_can_be_overridden(tmp_path: Path) -> None:
    target = load_target(write(tmp_path, GOOD), base_url="http://127.0.0.1:9/STU3", env={"SUPPLIER_TOKEN": "t"})
    assert target.base_url == "http://127.0.0.1:9/STU3"


def test_the_limits_every_exchange_runs_under_have_defaults(tmp_path: Path) -> None:
    limits = load_target(write(tmp_path, GOOD), env={"SUPPLIER_TOKEN": "t"}).limits
    assert (limits.max_body_mb, limits.max_depth, limits.max_pages) == (20, 100, 50)


def test_the_reference_profile_is_found_by_name() -> None:
    target = load_target("reference")
    assert target.embedded and target.testdata.patient is not None


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        (GOOD, {}, "auth.token: environment variable SUPPLIER_TOKEN is not set"),
        (GOOD.replace("https://fhir.example.nhs.uk/STU3/", "ftp://x"), {"SUPPLIER_TOKEN": "t"}, "base_url: must be an http(s) URL"),
        (
            GOOD.replace("type: bearer", "type: kerberos"),
            {"SUPPLIER_TOKEN": "t"},
            "auth.type: Input should be 'none', 'bearer', 'client-credentials', 'smart-backend' or 'spine-jwt'",
        ),
        (GOOD.replace('"9876543210"', '"98765"'), {"SUPPLIER_TOKEN": "t"}, "testdata.patient.nhs_number: an NHS number is 10 digits"),
        (GOOD.replace("1998-03-19", "19/03/1998"), {"SUPPLIER_TOKEN": "t"}, "testdata.patient.birthdate:"),
        (GOOD + "colour: blue\n", {"SUPPLIER_TOKEN": "t"}, "colour: unknown field"),
        (GOOD + "writes: sometimes\n", {"SUPPLIER_TOKEN": "t"}, "writes: Input should be 'probe' or 'never'"),
        ("name: x\n", {}, "base_url: Field required"),
        ("name: x\nbase_url: embedded\nauth:\n  type: client-credentials\n  client_id: c\n", {}, "auth: type client-credentials needs client_secret"),
        ("name: x\nbase_url: embedded\nauth:\n  type: smart-backend\n  client_id: c\n  private_key: nowhere.pem\n", {}, "auth.private_key: no such file"),
        ("name: x\nbase_url: embedded\nauth:\n  type: bearer\n  token: t\n  token_url: ftp://x\n", {}, "auth: token_url must be an http(s) URL"),
        (GOOD + "limits:\n  max_depth: 500\n", {"SUPPLIER_TOKEN": "t"}, "limits.max_depth: Input should be less than or equal to 200"),
        ("- a\n- b\n", {}, "a target profile is a YAML mapping"),
        ("name: [unclosed\n", {}, "is not valid YAML"),
    ],
)
def test_a_bad_profile_gives_one_line_naming_the_field(tmp_path: Path, text: str, env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_target(write(tmp_path, text), env=env)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_an_unknown_target_name_says_where_it_looked() -> None:
    with pytest.raises(ConfigError, match="no target named 'nowhere'"):
        load_target("nowhere")


def test_a_name_is_looked_up_in_the_users_profiles_folder_first(tmp_path: Path) -> None:
    (tmp_path / "sandbox.yaml").write_text("name: sandbox\nbase_url: https://sandbox.example.nhs.uk/STU3\n", encoding="utf-8")
    (tmp_path / "reference.yml").write_text("name: mine\nbase_url: embedded\n", encoding="utf-8")
    assert resolve_target_path("sandbox", tmp_path) == tmp_path / "sandbox.yaml"
    assert resolve_target_path("reference", tmp_path) == tmp_path / "reference.yml"  # theirs before carecheck's
    assert resolve_target_path("reference-xml", tmp_path) == data_path("targets", "reference-xml.yaml")
    with pytest.raises(ConfigError, match=f"looked for {tmp_path / 'absent.yaml'} or .*targets/absent.yaml"):
        resolve_target_path("absent", tmp_path)
    with pytest.raises(ConfigError, match=r"--profiles .* is not a folder"):
        resolve_target_path("sandbox", tmp_path / "sandbox.yaml")


def test_a_missing_target_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_target(str(tmp_path / "absent.yaml"))


def test_a_private_key_is_found_beside_the_profile(tmp_path: Path) -> None:
    (tmp_path / "client.pem").write_text("not really a key")
    text = "name: x\nbase_url: embedded\nauth:\n  type: smart-backend\n  client_id: c\n  private_key: client.pem\n"
    target = load_target(write(tmp_path, text), env={})
    assert target.auth.private_key == tmp_path / "client.pem"
    assert target.secrets() == ()


def test_client_secrets_are_secrets(tmp_path: Path) -> None:
    text = "name: x\nbase_url: embedded\nauth:\n  type: client-credentials\n  client_id: c\n  client_secret: ${S}\n"
    target = load_target(write(tmp_path, text), env={"S": "shh-123"})
    assert target.secrets() == ("shh-123",)
    assert "shh-123" not in str(target.redacted())


SECURE = """
name: secure
base_url: https://fhir.example.nhs.uk/STU3
ca_bundle: ca.pem
auth:
  type: client-credentials
  client_id: main
  client_secret: ${MAIN_SECRET}
  token_signing_key: keys/signing.pem
  patient_only:
    type: smart-backend
    client_id: patients
    private_key: keys/client.pem
"""


def _secure(tmp_path: Path, text: str = SECURE) -> str:
    (tmp_path / "keys").mkdir(exist_ok=True)
    for name in ("ca.pem", "keys/signing.pem", "keys/client.pem"):
        (tmp_path / name).write_text("x")
    return write(tmp_path, text)


def test_key_files_and_the_ca_bundle_are_found_beside_the_profile(tmp_path: Path) -> None:
    target = load_target(_secure(tmp_path), env={"MAIN_SECRET": "m"})
    assert target.ca_bundle == tmp_path / "ca.pem"
    assert target.auth.token_signing_key == tmp_path / "keys" / "signing.pem"
    assert target.auth.patient_only is not None and target.auth.patient_only.private_key == tmp_path / "keys" / "client.pem"


def test_the_ca_bundle_can_be_given_on_the_command_line(tmp_path: Path) -> None:
    other = tmp_path / "other.pem"
    other.write_text("x")
    assert load_target(_secure(tmp_path), ca_bundle=other, env={"MAIN_SECRET": "m"}).ca_bundle == other.resolve()
    with pytest.raises(ConfigError, match="--ca-bundle: no such file"):
        load_target(_secure(tmp_path), ca_bundle=tmp_path / "nope.pem", env={"MAIN_SECRET": "m"})


def test_the_patient_only_clients_secret_is_a_secret_too(tmp_path: Path) -> None:
    text = SECURE.replace(
        "    type: smart-backend\n    client_id: patients\n    private_key: keys/client.pem\n",
        "    type: client-credentials\n    client_id: patients\n    client_secret: ${PATIENT_SECRET}\n",
    )
    target = load_target(_secure(tmp_path, text), env={"MAIN_SECRET": "m-secret", "PATIENT_SECRET": "p-secret"})
    assert target.secrets() == ("m-secret", "p-secret")
    assert "p-secret" not in str(target.redacted())


CONTEXT = """  patient_context:
    type: smart-backend
    client_id: bound
    private_key: keys/client.pem
    patient: p-1
"""


def test_the_patient_context_client_names_its_patient_and_its_secret_is_a_secret_too(tmp_path: Path) -> None:
    target = load_target(_secure(tmp_path, SECURE + CONTEXT), env={"MAIN_SECRET": "m"})
    context = target.auth.patient_context
    assert context is not None and (context.patient, context.private_key) == ("p-1", tmp_path / "keys" / "client.pem")
    with_secret = CONTEXT.replace("    type: smart-backend\n", "    type: client-credentials\n").replace(
        "private_key: keys/client.pem", "client_secret: ${CONTEXT_SECRET}"
    )
    target = load_target(_secure(tmp_path, SECURE + with_secret), env={"MAIN_SECRET": "m-secret", "CONTEXT_SECRET": "c-secret"})
    assert target.secrets() == ("m-secret", "c-secret")
    assert "c-secret" not in str(target.redacted())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("  patient_context:\n    type: smart-backend\n", "  patient_context:\n    type: none\n"), "auth: patient_context needs a client that obtains tokens"),
        (("    patient: p-1\n", "    patient: p-1\n    token_signing_key: keys/signing.pem\n"), "auth: patient_context is one client"),
        (("  patient_context:\n", "  patient: p-1\n  patient_context:\n"), "auth.patient: unknown field"),
        (
            ("  patient_only:\n    type: smart-backend\n", "  patient_only:\n    patient: p-1\n    type: smart-backend\n"),
            "auth.patient_only.patient: unknown field",
        ),
    ],
)
def test_only_the_patient_context_client_names_a_patient(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_target(_secure(tmp_path, (SECURE + CONTEXT).replace(*change)), env={"MAIN_SECRET": "m"})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("    type: smart-backend\n", "    type: none\n"), "auth: patient_only needs a client that obtains tokens"),
        (("    private_key: keys/client.pem\n", "    private_key: keys/missing.pem\n"), "auth.patient_only.private_key: no such file"),
        (("  token_signing_key: keys/signing.pem\n", "  token_signing_key: keys/missing.pem\n"), "auth.token_signing_key: no such file"),
        (("ca_bundle: ca.pem\n", "ca_bundle: missing.pem\n"), "ca_bundle: no such file"),
    ],
)
def test_security_settings_are_checked_on_load(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_target(_secure(tmp_path, SECURE.replace(*change)), env={"MAIN_SECRET": "m"})


def test_a_spine_profile_describes_the_audit_jwt(tmp_path: Path) -> None:
    text = (
        "name: spine\nbase_url: https://fhir.example.nhs.uk/STU3\nauth:\n  type: spine-jwt\n  spine:\n    issuer: https://me.example\n"
        "    nhs_number: '9658218873'\n    practitioner: {id: p1}\n    organization: {ods_code: R1A02}\n"
    )
    target = load_target(write(tmp_path, text), env={})
    assert target.auth.spine is not None and target.auth.spine.requested_scope == "patient/*.read"
    with pytest.raises(ConfigError, match="auth: type spine-jwt needs spine"):
        load_target(write(tmp_path, text.split("  spine:")[0]), env={})
    with pytest.raises(ConfigError, match=r"auth.spine.nhs_number: an NHS number is 10 digits"):
        load_target(write(tmp_path, text.replace("'9658218873'", "'123'")), env={})


def test_sign_off_and_what_to_do_about_another_fhir_version_are_profile_settings(tmp_path: Path) -> None:
    default = load_target(write(tmp_path, GOOD), env={"SUPPLIER_TOKEN": "t"})
    assert (default.sign_off, default.other_fhir_version) == (False, "continue")
    strict = load_target(write(tmp_path, GOOD + "sign_off: true\nother_fhir_version: stop\n"), env={"SUPPLIER_TOKEN": "t"})
    assert (strict.sign_off, strict.other_fhir_version) == (True, "stop")
    with pytest.raises(ConfigError, match="other_fhir_version"):
        load_target(write(tmp_path, GOOD + "other_fhir_version: ignore\n"), env={"SUPPLIER_TOKEN": "t"})


def test_a_baseline_is_found_beside_the_profile(tmp_path: Path) -> None:
    (tmp_path / "pins.yaml").write_text("baseline: {owner: qa, reason: r}\npins: []\n")
    assert load_target(write(tmp_path, GOOD + "baseline: pins.yaml\n"), env={"SUPPLIER_TOKEN": "t"}).baseline == tmp_path / "pins.yaml"
    with pytest.raises(ConfigError, match="baseline: no such file"):
        load_target(write(tmp_path, GOOD + "baseline: missing.yaml\n"), env={"SUPPLIER_TOKEN": "t"})
