@security @scope
Feature: A token reads only what its scopes allow
  As the owner of a Care Connect server
  I want each client to read only the resource types its token's scopes name, and never to write
  So that a client registered for demographics cannot read anyone's clinical record

  The Patient-only client is the target profile's `auth.patient_only` (the reference server's demo
  client carecheck-patient-only, scope system/Patient.read).

  @shall @req:CC-SEC-SCOPES
  Scenario: A Patient-only token reads Patient
    When the Patient-only client searches Patient
    Then every request is served

  @shall @req:CC-SEC-SCOPES
  Scenario Outline: A Patient-only token is refused <resource>
    Given the server declares <resource>
    When the Patient-only client searches <resource>
    Then the request is refused as outside the token's scopes

    Examples:
      | resource            |
      | AllergyIntolerance  |
      | Condition           |
      | Procedure           |
      | Observation         |
      | Encounter           |
      | MedicationStatement |
      | MedicationRequest   |
      | Immunization        |

  @shall @req:CC-SEC-SCOPES @include
  Scenario: A Patient-only token cannot reach clinical records through _revinclude
    Given the server declares Condition
    When the Patient-only client searches Patient including the Condition records that refer to them
    Then the answer holds nothing outside the token's scopes: Patient

  @shall @req:CC-SEC-SCOPES
  Scenario Outline: A read-only token cannot <method> a Patient
    When the client sends a <method> of a Patient with its read-only token
    Then the write is refused

    Examples:
      | method |
      | POST   |
      | PUT    |
      | DELETE |
