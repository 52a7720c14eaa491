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

    @may
    Examples: MAY parameters, beside the family name
      | parameters                 | forms         |
      | family, email              | value, code   |
      | family, phone              | value, code   |
      | family, address-postalcode | value, value  |
      | family, address-postalcode | value, prefix |
