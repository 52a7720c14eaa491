@security @token
Feature: Every request needs a valid access token
  As the owner of a Care Connect server that holds patient records
  I want every request refused unless it carries a valid access token, whatever is wrong with the token
  So that nobody reads a record without being authorised to

  The tokens are forged from the real one the target profile obtains, as fixtures/security/tokens.yaml
  says, and sent to a search of every resource type the server declares. A refusal is 401 with an
  OperationOutcome and a Bearer challenge; never a 2xx, never a server error.

  @shall @smoke @req:CC-SEC-METADATA
  Scenario: The capability statement is served without a token
    When the client asks for the capability statement without a token
    Then the response status is 200
    And the response is a FHIR resource of type CapabilityStatement

  @shall @req:CC-SEC-AUTHORIZATION
  Scenario Outline: Every resource type answers the forged token as the matrix says
    Given the target authenticates with access tokens
    When the client searches every declared resource type with the "<case>" token
    Then every answer to the "<case>" token is what the token matrix expects

    Examples:
      | case                |
      | no-header           |
      | basic-scheme        |
      | lower-case-bearer   |
      | empty-token         |
      | garbage             |
      | malformed-jwt       |
      | alg-none            |
      | signature-altered   |
      | unknown-key         |
      | hs256-key-confusion |

  @shall @req:CC-SEC-AUTHORIZATION
  Scenario Outline: Every resource type refuses a validly signed token with a bad claim
    Given the target authenticates with access tokens
    And the server accepts the real claims signed with the profile's token signing key
    When the client searches every declared resource type with the "<case>" token
    Then every answer to the "<case>" token is what the token matrix expects

    Examples:
      | case                 |
      | expired              |
      | not-yet-valid        |
      | issued-in-the-future |
      | wrong-audience       |
      | wrong-issuer         |
