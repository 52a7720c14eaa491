@patient @read
Feature: Read a patient's record by its id
  As a clinician (hospital services) whose system has found a patient
  I want to retrieve that patient's record by its logical id
  So that I review the current information about the right person

  @shall @smoke @req:CC-READ @req:CC-GEN-META-PROFILE @req:CC-PROFILE-VALID
  Scenario: A known patient is returned whole
    When the client reads Patient "{patient.id}"
    Then the response status is 200
    And the response is a FHIR resource of type Patient
    And the response is the resource that was asked for
    And every returned Patient claims the Care Connect profile CareConnect-Patient-1
    And every returned resource conforms to its Care Connect profile

  @shall @req:CC-READ-404 @req:CC-ERR-OUTCOME
  Scenario: An unknown patient is not found
    When the client reads Patient "carecheck-no-such-patient-0"
    Then the response status is 404
    And the response is an OperationOutcome explaining the error
    And every returned resource conforms to its Care Connect profile
