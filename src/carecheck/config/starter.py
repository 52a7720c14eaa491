"""A starter target profile for a server (`carecheck init`): the fields a first run needs, each commented, with
the choices a supplier makes next left as comments. It loads as it is: no authentication, test data
discovered, every expectation at the default that accepts each conformant reading."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from carecheck.errors import ConfigError

__all__ = ["profile_name", "starter_profile"]

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_TEMPLATE = """\
# carecheck target profile for {url}
# Written by `carecheck init`; edit it, then: carecheck run --target {file}
# Every field is described in carecheck's README ("Testing your own server"). The name names the report
# folder (reports/{name}/<UTC time>/); base_url is the server's FHIR base.
name: {name}
base_url: {quoted_url}
timeout: 30                                    # seconds per exchange: connecting, headers and body

auth:
  type: none                                   # none | bearer | client-credentials | smart-backend | spine-jwt
  # OAuth2 client credentials (secrets come from the environment only, never from this file):
  # type: client-credentials
  # token_url: discover                        # or the URL; discover reads the CapabilityStatement's SMART oauth-uris
  # client_id: my-client
  # client_secret: ${{MY_CLIENT_SECRET}}
  # method: client_secret_basic                # or client_secret_post
  # scopes: [system/*.read]
  # A token you already hold:
  # type: bearer
  # token: ${{MY_TOKEN}}

testdata: discover                             # find a patient and their records on the server
# testdata:                                    # or pin the records you know the server holds:
#   patient:
#     nhs_number: "9876543210"
#   records:
#     Organization: "RTG"
#   discover: true                             # false: only what is named here

format: json                                   # or xml: the FHIR format every request asks for
writes: probe                                  # or never: no write request is ever sent

expectations:                                  # what the guide leaves open; the defaults accept every conformant reading
  conformance: ig                              # ig (the Care Connect IG tables) or core (the CORE draft)
  # unknown_parameter: ignore                  # or reject
  # error_codes: fhir                          # or spine

limits:                                        # politeness towards a shared environment
  requests_per_second: 0                       # 0: unpaced
  concurrency: 4                               # parallel workers at most, whatever -n asks

# waivers: waivers.yaml                        # accepted deviations (relative to this file)
# ca_bundle: our-ca.pem                        # a CA to trust besides the system's
# sign_off: true                               # the run a supplier signs: every SHALL requirement must be tested
"""


def profile_name(url: str) -> str:
    """A profile name from the URL's host: `fhir.example.nhs.uk` → `fhir-example-nhs-uk`."""
    host = urlsplit(url).hostname or "target"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", host.replace(".", "-")).strip("-._") or "target"


def starter_profile(url: str, file: str, name: str | None = None) -> str:
    """The starter profile's YAML for the FHIR base `url`, to be saved as `file`; ConfigError for a URL that is
    not http(s) with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"--url {url!r} is not an http(s) URL with a host, e.g. https://fhir.example.nhs.uk/STU3")
    if any(character in url for character in " \"'#\n\r\t"):
        raise ConfigError(f"--url {url!r}: a FHIR base URL has no spaces, quotes or fragment")
    name = name or profile_name(url)
    if not _NAME.fullmatch(name):
        raise ConfigError(f"--name {name!r}: a profile name is letters, digits, '.', '_' and '-', starting with a letter or digit")
    return _TEMPLATE.format(url=url.rstrip("/"), quoted_url=json.dumps(url.rstrip("/")), file=file, name=name)
