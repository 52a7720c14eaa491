@patient @search
Feature: Find a patient from what they say on the phone
  As a health advisor (primary care, NHS 111)
  I want to retrieve a patient's record based on the information they provide over the phone
  So that I can review the current patient information and offer the best possible advice

  Every search is judged for soundness (each returned Patient satisfies every criterion under the STU3
  search rules) and completeness (the patient known to match is among the results).

  @shall @smoke @req:CC-SEARCH-PATIENT-IDENTIFIER
  Scenario: Find a patient by their NHS number
    When the client searches Patient with "identifier=https://fhir.nhs.uk/Id/nhs-number|{patient.nhs_number}"
    Then the response status is 200
    And the response is a searchset Bundle
    And every returned Patient matches the search
    And the known patient is among the results
    And every returned resource conforms to its Care Connect profile

  @shall @req:CC-SEARCH-PATIENT-FAMILY
  Scenario Outline: Find a patient by family name, whatever its case
    Given the server answers a Patient search by one parameter other than identifier
    When the client searches Patient with "<query>"
    Then the response status is 200
    And the response is a searchset Bundle
    And every returned Patient matches the search
    And the known patient is among the results
    And every returned resource conforms to its Care Connect profile

    Examples:
      | query                    |
      | family={patient.family}  |
      | family={patient.family_lower} |
      | family={patient.family_prefix} |

  @shall @req:CC-SEARCH-PATIENT-NAME @req:CC-SEARCH-PATIENT-BIRTHDATE @req:CC-PATIENT-SEARCH-COMBINATIONS
  Scenario Outline: Find a patient by name and date of birth
    When the client searches Patient with "<query>"
    Then the response status is 200
    And the response is a searchset Bundle
    And every returned Patient matches the search
    And the known patient is among the results
    And every returned resource conforms to its Care Connect profile

    Examples:
      | query                                                   |
      | name={patient.family}&birthdate={patient.birthdate}     |
      | name={patient.given}&birthdate={patient.birthdate}      |
      | name={patient.family}&birthdate={patient.birth_year}    |
      | name={patient.family}&birthdate={patient.birth_month}   |
      | name={patient.family}&birthdate=ge{patient.birthdate}   |
      | name={patient.family}&birthdate=le{patient.birthdate}   |

  @shall @req:CC-SEARCH-PATIENT-NAME @req:CC-SEARCH-PATIENT-BIRTHDATE
  Scenario Outline: A date of birth that does not match leaves the patient out
    When the client searches Patient with "<query>"
    Then the response status is 200
    And the response is a searchset Bundle
    And every returned Patient matches the search
    And the known patient is not among the results

    Examples:
      | query                                                   |
      | name={patient.family}&birthdate=lt{patient.birthdate}   |
      | name={patient.family}&birthdate=gt{patient.birthdate}   |
      | name={patient.family}&birthdate=ne{patient.birthdate}   |

  @shall @req:CC-SEARCH-PATIENT-FAMILY
  Scenario: A family name nobody has finds nobody
    Given the server answers a Patient search by one parameter other than identifier
    When the client searches Patient with "family=Zzyzxcarecheck"
    Then the response status is 200
    And the response is a searchset Bundle
    And the search returned no Patient
