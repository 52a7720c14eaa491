@security @token
Feature: Every request needs a valid access token
  As the owner of a Care Connect server that holds patient records
  I want every request refused unless it carries a valid access token, whatever is wrong with the token
  So that nobody reads a record without being authorised to

  The tokens are forged from the real one the target profile obtains, as fixtures/security/tokens.yaml
  says, and sent to a search of every resource type the server declares. The Examples say what the server
  must answer to each: a refusal is 401 with an OperationOutcome and a Bearer challenge (RFC 6750 §3);
  never a 2xx, never a server error. The real token with its scheme in lower case is served: schemes are
  case-insensitive (RFC 7235 §2.1).

  @shall @smoke @req:CC-SEC-METADATA
  Scenario: The capability statement is served without a token
    When the client asks for the capability statement without a token
    Then the response status is 200
    And the response is a FHIR resource of type CapabilityStatement

  @shall @req:CC-SEC-AUTHORIZATION
  Scenario Outline: Every resource type answers the forged token as its Examples row says
    Given the target authenticates with access tokens
    When the client searches every declared resource type with the "<case>" token
    Then every request is <answer>

    Examples:
      | case                 | answer           |
      | no-header            | refused with 401 |
      | basic-scheme         | refused with 401 |
      | lower-case-bearer    | served           |
      | empty-token          | refused with 401 |
      | garbage              | refused with 401 |
      | malformed-jwt        | refused with 401 |
      | alg-none             | refused with 401 |
      | signature-altered    | refused with 401 |
      | unknown-key          | refused with 401 |
      | hs256-key-confusion  | refused with 401 |

  @shall @req:CC-SEC-AUTHORIZATION
  Scenario Outline: Every resource type refuses a validly signed token with a bad claim
    Given the target authenticates with access tokens
    And the server accepts the real claims signed with the profile's token signing key
    When the client searches every declared resource type with the "<case>" token
    Then every request is <answer>

    Examples:
      | case                 | answer           |
      | expired              | refused with 401 |
      | not-yet-valid        | refused with 401 |
      | issued-in-the-future | refused with 401 |
      | wrong-audience       | refused with 401 |
      | wrong-issuer         | refused with 401 |
