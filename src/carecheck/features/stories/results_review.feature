@stories @observation
Feature: Review a patient's results over a period
  As a GP at a health centre caring for a patient with type 1 diabetes
  I want the patient's results of one test over a period
  So that I can see how their control has changed before I adjust their treatment
  (the guide's clinical care coordination story: HbA1c results over the last twelve months)

  @should @req:CC-SEARCH-OBSERVATION-PATIENT+CODE+DATE @req:CC-SEARCH-OBSERVATION-PATIENT+CATEGORY+CODE+DATE
  Scenario Outline: One test's results for the patient, between two dates, given as <forms>
    Given the server supports searching Observation by <parameters>
    And the known Observation record
    When the client searches the known patient's Observation by <parameters> given as <forms>
    Then the search succeeds with a searchset Bundle
    And every returned Observation matches the search
    And the known Observation is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    Examples:
      | parameters               | forms                     |
      | code, date, date         | system\|code, ge, le       |
      | code, date, date         | code, gt, lt               |
      | category, code, date     | system\|code, code, ge      |
      | code, date               | system\|code, sa            |
