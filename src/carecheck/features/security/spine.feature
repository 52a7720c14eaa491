@security @spine
Feature: Behind the Spine Security Proxy, every request carries a complete audit JWT
  As a provider behind the Spine Security Proxy
  I want every request to say, in its audit JWT, who asks, from where, about which record and why
  So that every access to a record can be audited, and a request that does not say is refused

  For targets whose profile has auth type spine-jwt. Each case of fixtures/security/spine.yaml removes
  or corrupts one claim of the well-formed audit JWT, and the Examples say what the server must answer:
  400 (GP Connect) or 401 (OAuth 2) is a refusal, with an OperationOutcome (and a Bearer challenge with a
  401); never a 2xx, never a server error.

  Background:
    Given the target authenticates with Spine audit JWTs

  @shall @req:CC-SEC-SPINE-JWT
  Scenario: A well-formed audit JWT, new for every request, is accepted
    When the client searches the requested record's patient twice
    Then every request is served

  @shall @req:CC-SEC-SPINE-JWT
  Scenario Outline: An audit JWT with <case> is refused
    When the client searches the requested record's patient with the "<case>" audit JWT
    Then every request is <answer>

    Examples:
      | case                            | answer                  |
      | without-iss                     | refused with 400 or 401 |
      | without-sub                     | refused with 400 or 401 |
      | without-aud                     | refused with 400 or 401 |
      | without-exp                     | refused with 400 or 401 |
      | without-iat                     | refused with 400 or 401 |
      | without-reason-for-request      | refused with 400 or 401 |
      | without-requested-record        | refused with 400 or 401 |
      | without-requested-scope         | refused with 400 or 401 |
      | without-requesting-device       | refused with 400 or 401 |
      | without-requesting-organization | refused with 400 or 401 |
      | without-requesting-practitioner | refused with 400 or 401 |
      | wrong-audience                  | refused with 400 or 401 |
      | lifetime-not-five-minutes       | refused with 400 or 401 |
      | expired                         | refused with 400 or 401 |
      | issued-in-the-future            | refused with 400 or 401 |
      | reason-not-direct-care          | refused with 400 or 401 |
      | scope-not-a-scope               | refused with 400 or 401 |
      | record-not-a-patient            | refused with 400 or 401 |
      | record-bad-nhs-number           | refused with 400 or 401 |
      | device-not-a-device             | refused with 400 or 401 |
      | organization-without-ods-code   | refused with 400 or 401 |
      | practitioner-without-identifier | refused with 400 or 401 |
      | sub-not-the-practitioner        | refused with 400 or 401 |
