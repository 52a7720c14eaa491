@errors
Feature: The read-only API refuses every write
  As an organisation sharing records through the Care Connect API
  I want every attempt to create, change or delete a record refused
  So that the records other systems read are only ever changed at their source

  The guide defines read and search only. A write is refused with 405 Method Not Allowed (base FHIR), with
  403 by a server whose access control refuses the harness's read-only token before it looks at the method,
  or with 501 Not Implemented (RFC 9110; the reference implementation); `expectations.write_method_status` narrows that.
  Each write sends the record as the server returned it, so even a server that performs it changes nothing.

  @shall @req:CC-ERR-READ-ONLY @req:CC-ERR-OUTCOME
  Scenario Outline: The read-only API refuses to <method> a <resource>
    Given the server declares <resource>
    When the client tries to <method> the known <resource>
    Then the request is refused as the expectations' write_method_status says
    And any error answer is an OperationOutcome in the target's error convention

    Examples:
      | method | resource    |
      | POST   | Patient     |
      | PUT    | Patient     |
      | PATCH  | Patient     |
      | DELETE | Patient     |
      | POST   | Observation |
      | PUT    | Observation |
      | PATCH  | Observation |
      | DELETE | Observation |
