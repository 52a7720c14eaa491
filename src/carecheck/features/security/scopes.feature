@security @scope
Feature: A token reads only what its scopes allow
  As the owner of a Care Connect server
  I want each client to read only the resource types its token's scopes name, and never to write
  So that a client registered for demographics cannot read anyone's clinical record

  The Patient-only client is the target profile's `auth.patient_only` (the reference server's demo
  client carecheck-patient-only, scope system/Patient.read). The patient-context client is
  `auth.patient_context`, whose tokens are bound to one patient (SMART patient context: the patient
  its token response names, else `auth.patient_context.patient`; the reference server's demo client
  carecheck-patient-context, scope patient/*.read). "Another patient" is the first patient other than
  that one whose record of the type the server lists to the profile's own token. Another patient's
  records may be refused (403 or 404) or left out of the answer; either way none may be served.

  The writes with the read-only token are carecheck's harmless write probes (see
  errors/read_only.feature): a POST of a Patient marked as carecheck's, a PUT (with If-Match on no
  version) and a DELETE of a Patient id of carecheck's own that does not exist; whatever a server performs
  is deleted again and reported. A 404 to the PUT or DELETE of that id is a warning, not a failure: "The
  choice of whether to return 403 or 404 depends upon the specific situation and specific local policies"
  (STU3 http.html, security). `writes: never` in the profile sends none: those scenarios are not applicable.

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

  @shall @req:CC-SEC-SCOPES
  Scenario: A patient-context token reads its own patient
    When the patient-context client reads its own patient
    Then every request is served
    And the answer holds no other patient's records

  @shall @req:CC-SEC-SCOPES
  Scenario Outline: A patient-context token reads its own patient's <resource> records
    Given the server declares <resource>
    When the patient-context client searches <resource> for its own patient
    Then every request is served
    And the answer holds no other patient's records

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

  @shall @req:CC-SEC-SCOPES
  Scenario: A patient-context token cannot read another patient
    When the patient-context client reads another patient
    Then the answer holds no other patient's records

  @shall @req:CC-SEC-SCOPES
  Scenario: A patient-context token's Patient search finds only its own patient
    When the patient-context client searches Patient with no criteria
    Then the answer holds no other patient's records

  @shall @req:CC-SEC-SCOPES
  Scenario Outline: A patient-context token cannot search another patient's <resource> records
    Given the server declares <resource>
    When the patient-context client searches <resource> for another patient
    Then the answer holds no other patient's records

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
