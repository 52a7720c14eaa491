@security @spine
Feature: Behind the Spine Security Proxy, every request carries a complete audit JWT
  As a provider behind the Spine Security Proxy
  I want every request to say, in its audit JWT, who asks, from where, about which record and why
  So that every access to a record can be audited, and a request that does not say is refused

  For targets whose profile has auth type spine-jwt. Each case of fixtures/security/spine.yaml removes
  or corrupts one claim of the well-formed audit JWT; 400 (GP Connect) or 401 (OAuth 2) is a refusal.

  Background:
    Given the target authenticates with Spine audit JWTs

  @shall @req:CC-SEC-SPINE-JWT
  Scenario: A well-formed audit JWT, new for every request, is accepted
    When the client searches the requested record's patient twice
    Then every request is served

  @shall @req:CC-SEC-SPINE-JWT
  Scenario Outline: An audit JWT with <case> is refused
    When the client searches the requested record's patient with the "<case>" audit JWT
    Then every answer to the "<case>" audit JWT is what the spine matrix expects

    Examples:
      | case                            |
      | without-iss                     |
      | without-sub                     |
      | without-aud                     |
      | without-exp                     |
      | without-iat                     |
      | without-reason-for-request      |
      | without-requested-record        |
      | without-requested-scope         |
      | without-requesting-device       |
      | without-requesting-organization |
      | without-requesting-practitioner |
      | wrong-audience                  |
      | lifetime-not-five-minutes       |
      | expired                         |
      | issued-in-the-future            |
      | reason-not-direct-care          |
      | scope-not-a-scope               |
      | record-not-a-patient            |
      | record-bad-nhs-number           |
      | device-not-a-device             |
      | organization-without-ods-code   |
      | practitioner-without-identifier |
      | sub-not-the-practitioner        |
