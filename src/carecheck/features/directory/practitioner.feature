@directory @practitioner
Feature: Practitioner: the clinicians who care for patients
  As a clinician following up a referral
  I want to find a practitioner by their SDS user id, name or postcode
  So that I contact the right person about the patient

  Every search is built from the values of a Practitioner the target is known to hold (named in the target
  profile, or found from the known patient's records, or the first the server lists). Each result is
  judged for soundness by carecheck's STU3 search oracle, and the known Practitioner must come back exactly
  when the oracle says it matches.

  Background:
    Given the server declares Practitioner
    And the known Practitioner record

  @shall @req:CC-READ @req:CC-PROFILE-VALID
  Scenario: Read the known Practitioner
    When the client reads the known Practitioner
    Then the response status is 200
    And the response is the resource that was asked for
    And every returned Practitioner claims its Care Connect profile
    And every returned resource conforms to its Care Connect profile

  @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Search Practitioner by <parameter> given as <form>
    Given the server supports searching Practitioner by <parameter>
    When the client searches Practitioner by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Practitioner matches the search
    And the known Practitioner is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @may
    Examples: MAY in the IG, SHALL in CORE
      | parameter  | form         |
      | identifier | code         |
      | identifier | system\|code |
      | identifier | absent       |

    @may @nomatch
    Examples: the known identifier under another system, and under one nobody uses
      | parameter  | form           |
      | identifier | other-system   |
      | identifier | unknown-system |

    @may
    Examples: MAY
      | parameter          | form       |
      | address-postalcode | value      |
      | address-postalcode | lower-case |
      | address-postalcode | prefix     |

    @shall @core
    Examples: SHALL in CORE only
      | parameter | form             |
      | name      | value            |
      | name      | lower-case       |
      | name      | prefix           |
      | name      | exact            |
      | name      | exact-wrong-case |
      | name      | contains         |
      | name      | absent           |
