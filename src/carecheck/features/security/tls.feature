@security @tls
Feature: Everything travels over TLS 1.2 or higher
  As the owner of a Care Connect server
  I want every connection encrypted with TLS 1.2 or higher and a strong cipher suite
  So that no record crosses the network readable or alterable by anyone in between

  These scenarios apply to an https base URL. Old protocol versions and weak suites are offered at
  OpenSSL security level 0, so the server, not the testing machine, decides; a family this machine
  cannot offer at all is reported as a warning, not judged.

  Background:
    Given the base URL is https

  @shall @req:CC-SEC-TLS
  Scenario: The server's certificate verifies for its host
    When the client connects verifying the server's certificate
    Then the certificate verifies

  @shall @req:CC-SEC-TLS
  Scenario: TLS 1.2 or higher is accepted
    When the client offers TLS 1.2 or higher
    Then the handshake completes

  @shall @req:CC-SEC-TLS
  Scenario: TLS 1.0 and TLS 1.1 are refused
    When the client offers only TLS 1.0, then only TLS 1.1
    Then every handshake is refused

  @shall @req:CC-SEC-TLS
  Scenario: Weak cipher suites are refused
    When the client offers only weak cipher suites, one family at a time
    Then every handshake is refused

  @shall @req:CC-SEC-TLS
  Scenario: Plain HTTP is refused or redirected to https
    When the client asks for the capability statement over plain HTTP
    Then the plain HTTP request is refused or redirected to https

  @should @req:CC-SEC-HSTS
  Scenario: Answers over HTTPS carry Strict-Transport-Security
    When the client asks for the capability statement over HTTPS
    Then the answer carries Strict-Transport-Security
