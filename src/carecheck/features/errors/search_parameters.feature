@errors @search
Feature: A search the server cannot run is refused, never guessed at
  As a health advisor (primary care, NHS 111) whose system sends a mistyped date of birth
  I want the search refused with a reason, not answered as if the date were not there
  So that I never pick a caller's record from results that ignored what I asked

  What a server does with some of these is left open by the guide. Each such case follows the target
  profile's `expectations` (defaults: base FHIR STU3) and its message names the setting it applied, e.g.
  `expected 400 or 422 (expectations.invalid_parameter_status: 400 or 422)`. A server error (5xx) is never right.

  @shall @req:CC-ERR-INVALID-PARAM @req:CC-ERR-CLIENT-ERROR @req:CC-ERR-OUTCOME
  Scenario Outline: A Patient search with <problem> is refused
    When the client searches Patient with "<query>"
    Then the request is refused as the expectations' invalid_parameter_status says
    And any error answer is an OperationOutcome in the target's error convention

    Examples:
      | problem                        | query                                                 |
      | a date of birth that is text   | family={patient.family}&birthdate=not-a-date          |
      | a thirteenth month             | family={patient.family}&birthdate=1927-13-19          |
      | the thirtieth of February      | family={patient.family}&birthdate=1927-02-30          |
      | an unknown date prefix         | family={patient.family}&birthdate=xx1927-06-19        |
      | a date prefix without a date   | family={patient.family}&birthdate=ge                  |
      | an hour without minutes        | family={patient.family}&birthdate=1927-06-19T10       |
      | a page size that is no number  | family={patient.family}&gender={patient.gender}&_count=abc |

  @shall @req:CC-ERR-INVALID-PARAM @req:CC-ERR-CLIENT-ERROR @req:CC-ERR-OUTCOME
  Scenario: A Patient identifier with a second unescaped | is refused
    When the client searches Patient with "family={patient.family}&identifier=https://fhir.nhs.uk/Id/nhs-number|{patient.nhs_number}|9"
    Then the request is refused as the expectations' invalid_parameter_status says
    And any error answer is an OperationOutcome in the target's error convention

  @shall @observation @req:CC-ERR-INVALID-PARAM @req:CC-ERR-CLIENT-ERROR @req:CC-ERR-OUTCOME
  Scenario Outline: A search of the known patient's observations with <problem> is refused
    Given the server declares Observation
    When the client searches Observation with "patient={patient.id}&<criterion>"
    Then the request is refused as the expectations' invalid_parameter_status says
    And any error answer is an OperationOutcome in the target's error convention

    Examples:
      | problem                   | criterion        |
      | the thirtieth of February | date=2018-02-30  |
      | an unknown date prefix    | date=zz2018      |
      | a time zone out of range  | date=2018-11-29T08:54:18+25:00 |
      | an unknown modifier       | code:carecheck=1 |

  @should @req:CC-ERR-EMPTY-PARAM @req:CC-ERR-OUTCOME
  Scenario: A search parameter without a value is ignored or refused as the target expects
    When the client searches Patient with "identifier=https://fhir.nhs.uk/Id/nhs-number|{patient.nhs_number}&family="
    And the client also searches Patient with "identifier=https://fhir.nhs.uk/Id/nhs-number|{patient.nhs_number}"
    Then the parameter is ignored or refused as the expectations' empty_parameter says
    And any error answer is an OperationOutcome in the target's error convention

  @should @req:FHIR-SEARCH-UNKNOWN-PARAM @req:CC-ERR-OUTCOME
  Scenario: A search parameter the server does not know is ignored or refused as the target expects
    When the client searches Patient with "identifier=https://fhir.nhs.uk/Id/nhs-number|{patient.nhs_number}&carecheck-unknown=1"
    And the client also searches Patient with "identifier=https://fhir.nhs.uk/Id/nhs-number|{patient.nhs_number}"
    Then the parameter is ignored or refused as the expectations' unknown_parameter says
    And any error answer is an OperationOutcome in the target's error convention

  @should @observation @req:FHIR-SEARCH-UNKNOWN-PARAM @req:CC-ERR-OUTCOME
  Scenario: A search of the known patient's observations by a parameter the server does not know
    Given the server declares Observation
    When the client searches Observation with "patient={patient.id}&carecheck-unknown=1"
    And the client also searches Observation with "patient={patient.id}"
    Then the parameter is ignored or refused as the expectations' unknown_parameter says
    And any error answer is an OperationOutcome in the target's error convention

  @should @req:FHIR-SEARCH-STRICT @req:CC-ERR-OUTCOME
  Scenario: Under Prefer: handling=strict a parameter the server does not know is refused
    When the client searches Patient with "identifier=https://fhir.nhs.uk/Id/nhs-number|{patient.nhs_number}&carecheck-unknown=1" under Prefer: handling=strict
    Then the request is refused as the expectations' invalid_parameter_status says
    And any error answer is an OperationOutcome in the target's error convention

  @shall @req:CC-PATIENT-SEARCH-MINIMUM @req:CC-ERR-OUTCOME
  Scenario: A Patient search by one parameter other than identifier is answered or refused as the target expects
    When the client searches Patient with "family={patient.family}"
    Then the search is answered or refused as the expectations' patient_search_minimum says
    And any error answer is an OperationOutcome in the target's error convention

  @shall @req:CC-PATIENT-SEARCH-MINIMUM @req:CC-SEARCH-PATIENT-IDENTIFIER
  Scenario: A Patient search by identifier alone is always answered
    When the client searches Patient with "identifier=https://fhir.nhs.uk/Id/nhs-number|{patient.nhs_number}"
    Then the search succeeds with a searchset Bundle
    And the known patient is among the results
