@errors
Feature: The read-only API refuses every write
  As an organisation sharing records through the Care Connect API
  I want every attempt to create, change or delete a record refused
  So that the records other systems read are only ever changed at their source

  The guide defines read and search only. A write is refused with 405 Method Not Allowed (base FHIR), with
  403 by a server whose access control refuses the harness's read-only token before it looks at the method,
  or with 501 Not Implemented (RFC 9110; the reference implementation); `expectations.write_method_status` narrows that.

  No write names a record the server holds. PUT, PATCH and DELETE go to an id of carecheck's own
  (`carecheck-probe-<random>`) that a read has just shown does not exist; PUT and PATCH carry If-Match on
  an ETag no version has, and the PATCH is a JSON Patch `test`, which changes nothing. POST creates a record
  marked as carecheck's (meta.tag and identifier `urn:carecheck:write-probe`), an inactive Patient or an
  Observation entered in error. If the server performs a write, carecheck deletes what it wrote, reads it
  again to show it is gone, and reports both the failure and the clean-up. `writes: never` in the target
  profile sends no write at all: these scenarios are then not applicable.

  STU3 allows more than one answer to a write of an id that does not exist, so some answers show only
  that nothing was written, and are warnings, not failures:
  - "Upon successful deletion, or if the resource does not exist at all, the server should return either a
    200 OK if the response contains a payload, or a 204 No Content with no response payload" (http.html,
    delete); a server that refuses writes may equally answer 404 for an id it does not know ("The choice of
    whether to return 403 or 404 depends upon the specific situation and specific local policies",
    http.html, security). A 404 or 410 to the PUT, PATCH or DELETE is a warning.
  - "If the server refuses to delete resources of that type as a blanket policy, then it should return the
    405 Method not allowed status code" (http.html, delete): 405 passes. A server that updates existing
    records but lets no client choose an id may also answer a PUT of a new id with 405; carecheck cannot
    tell the two apart without changing a real record, which it never does.
  - A 412 to the If-Match fails: a server that refuses the method "MUST ignore all received preconditions"
    (RFC 7232 §5), so a 412 comes from a server that would perform the write.

  @shall @req:CC-ERR-READ-ONLY @req:CC-ERR-OUTCOME
  Scenario Outline: The read-only API refuses to <method> a <resource>
    Given the server declares <resource>
    When the client tries to <method> a <resource> of carecheck's own
    Then the write is refused as the expectations' write_method_status says
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
