@patient @search
Feature: Every Patient search parameter, in every form a client may send it
  As a health advisor (primary care, NHS 111) whose caller spells their name, or gives their date of birth,
  in whatever way they remember it
  I want the server to honour every Care Connect Patient parameter in each form STU3 allows
  So that I find the caller's record however they put it

  Values come from the known patient's own record. The guide asks clients to send at least two parameters
  of differing types unless they search by identifier, so each parameter is tried beside another one.
  Each result is judged for soundness by carecheck's STU3 search oracle, and the known patient must come
  back exactly when the oracle says they match.

  Background:
    Given the known Patient record

  @req:CC-SEARCH-PATIENT-IDENTIFIER
  Scenario Outline: Find a patient by identifier given as <forms>
    Given the server supports searching Patient by <parameters>
    When the client searches Patient by <parameters> given as <forms>
    Then the search succeeds with a searchset Bundle
    And every returned Patient matches the search
    And the known Patient is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @shall
    Examples: SHALL
      | parameters | forms        |
      | identifier | system\|code |
      | identifier | code         |
      | identifier | absent       |
      | identifier | not          |

    @shall @nomatch
    Examples: SHALL, the known NHS number under another system
      | parameters | forms        |
      | identifier | other-system |

  @req:CC-PATIENT-SEARCH-COMBINATIONS
  Scenario Outline: Find a patient by <parameters> given as <forms>
    Given the server supports searching Patient by <parameters>
    When the client searches Patient by <parameters> given as <forms>
    Then the search succeeds with a searchset Bundle
    And every returned Patient matches the search
    And the known Patient is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @shall
    Examples: SHALL combinations, each string form
      | parameters     | forms                  |
      | name, gender   | value, code            |
      | name, gender   | lower-case, code       |
      | name, gender   | prefix, code           |
      | name, gender   | accents-folded, code   |
      | name, gender   | exact, code            |
      | name, gender   | exact-wrong-case, code |
      | name, gender   | contains, code         |
      | name, gender   | absent, code           |
      | family, gender | prefix, code           |
      | family, gender | exact, code            |
      | family, gender | value, not             |
      | given, gender  | value, code            |
      | given, gender  | prefix, code           |

    @shall
    Examples: SHALL name + birthdate, each date form
      | parameters      | forms         |
      | name, birthdate | value, day    |
      | name, birthdate | value, year   |
      | name, birthdate | value, month  |
      | name, birthdate | value, ge     |
      | name, birthdate | value, le     |
      | name, birthdate | value, gt     |
      | name, birthdate | value, lt     |
      | name, birthdate | value, ne     |
      | name, birthdate | value, sa     |
      | name, birthdate | value, eb     |
      | name, birthdate | value, absent |

    @shall @prefixes
    Examples: SHALL name + birthdate: an explicit eq, then every prefix on the year and on the month of birth
      | parameters      | forms           |
      | name, birthdate | value, eq       |
      | name, birthdate | value, eq-year  |
      | name, birthdate | value, ne-year  |
      | name, birthdate | value, gt-year  |
      | name, birthdate | value, lt-year  |
      | name, birthdate | value, ge-year  |
      | name, birthdate | value, le-year  |
      | name, birthdate | value, sa-year  |
      | name, birthdate | value, eb-year  |
      | name, birthdate | value, ap-year  |
      | name, birthdate | value, eq-month |
      | name, birthdate | value, ne-month |
      | name, birthdate | value, gt-month |
      | name, birthdate | value, lt-month |
      | name, birthdate | value, ge-month |
      | name, birthdate | value, le-month |
      | name, birthdate | value, sa-month |
      | name, birthdate | value, eb-month |
      | name, birthdate | value, ap-month |

    @may
    Examples: MAY parameters, beside the family name
      | parameters                 | forms         |
      | family, email              | value, code   |
      | family, phone              | value, code   |
      | family, address-postalcode | value, value  |
      | family, address-postalcode | value, prefix |

    @may @contact
    Examples: MAY phone and email beside the family name, as people write them (STU3 leaves all but the value as it is to the server)
      | parameters    | forms                    |
      | family, phone | value, digits            |
      | family, phone | value, spaced            |
      | family, phone | value, international     |
      | family, phone | value, tel               |
      | family, phone | value, tel-international |
      | family, email | value, upper-case        |
      | family, email | value, mailto            |

  @nomatch @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Nobody is found by <parameters> given as <forms>
    Given the server supports searching Patient by <parameters>
    When the client searches Patient by <parameters> given as <forms>
    Then the search succeeds with a searchset Bundle
    And every returned Patient matches the search
    And the search returned no Patient

    @shall
    Examples: SHALL: the known NHS number under a system nobody uses, a given name nobody has
      | parameters    | forms          |
      | identifier    | unknown-system |
      | given, gender | absent, code   |

    @may
    Examples: MAY: a postcode, a phone and an email nobody has, beside the family name
      | parameters                 | forms         |
      | family, address-postalcode | value, absent |
      | family, phone              | value, absent |
      | family, email              | value, absent |
