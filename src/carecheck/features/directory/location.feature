@directory @location
Feature: Location: the places where care is given
  As a health advisor (primary care, NHS 111)
  I want to find a care site near the patient's current location, by its ODS site code, name or postcode
  So that the patient can be seen somewhere they can reach

  Every search is built from the values of a Location the target is known to hold (named in the target
  profile, or found from the known patient's records, or the first the server lists). Each result is
  judged for soundness by carecheck's STU3 search oracle, and the known Location must come back exactly
  when the oracle says it matches.

  Background:
    Given the server declares Location
    And the known Location record

  @shall @req:CC-READ @req:CC-PROFILE-VALID
  Scenario: Read the known Location
    When the client reads the known Location
    Then the response status is 200
    And the response is the resource that was asked for
    And every returned Location claims its Care Connect profile
    And every returned resource conforms to its Care Connect profile

  @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Search Location by <parameter> given as <form>
    Given the server supports searching Location by <parameter>
    When the client searches Location by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Location matches the search
    And the known Location is returned exactly when it matches
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
    Examples: MAY in the IG, SHOULD in CORE
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
