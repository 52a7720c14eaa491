@errors
Feature: A request for something the server does not hold fails clearly
  As a clinician whose system asks for a record that is not there
  I want a clear "not found" that my system can read
  So that a missing record is never mistaken for an empty one, or for a broken server

  Every error answer must be an OperationOutcome with a severity and an STU3 issue code, in a FHIR media
  type (and, for a target using the NHS Spine convention, `expectations.error_codes: spine`, with a Spine
  error code in each error issue's details).

  @shall @read @req:CC-READ-404 @req:CC-ERR-OUTCOME
  Scenario Outline: An unknown <resource> id is not found
    Given the server declares <resource>
    When the client reads <resource> "carecheck-no-such-id-0"
    Then the response status is 404
    And any error answer is an OperationOutcome in the target's error convention

    Examples:
      | resource            |
      | Patient             |
      | AllergyIntolerance  |
      | Condition           |
      | Procedure           |
      | Observation         |
      | Encounter           |
      | Medication          |
      | MedicationStatement |
      | MedicationRequest   |
      | Immunization        |
      | Practitioner        |
      | PractitionerRole    |
      | Organization        |
      | Location            |

  @shall @read @req:CC-ERR-UNKNOWN-TYPE @req:CC-ERR-OUTCOME
  Scenario: A resource type no FHIR server has cannot be read
    When the client reads a resource of a type no FHIR server has
    Then the request is refused with 404 or 400
    And any error answer is an OperationOutcome in the target's error convention

  @shall @search @req:CC-ERR-UNKNOWN-TYPE @req:CC-ERR-OUTCOME
  Scenario: A resource type no FHIR server has cannot be searched
    When the client searches a type no FHIR server has
    Then the request is refused with 404 or 400
    And any error answer is an OperationOutcome in the target's error convention
