"""Tests for carecheck.refserver.versions: the ETag and Last-Modified of a resource, and which version it is at."""

from __future__ import annotations

from carecheck.refserver.versions import is_version, version_headers


def test_headers_carry_the_version_as_a_weak_tag_and_the_last_update_in_gmt_to_the_second() -> None:
    resource = {"meta": {"versionId": "3", "lastUpdated": "2018-11-14T17:25:58.346+01:00"}}
    assert version_headers(resource) == {"ETag": 'W/"3"', "Last-Modified": "Wed, 14 Nov 2018 16:25:58 GMT"}


def test_only_what_meta_holds_is_sent() -> None:
    assert version_headers({"meta": {"versionId": "1"}}) == {"ETag": 'W/"1"'}
    assert version_headers({"meta": {"lastUpdated": "2018-11-14"}}) == {}  # a date is not an instant
    assert version_headers({"meta": {"lastUpdated": "yesterday"}}) == {}
    assert version_headers({}) == {}


def test_a_resource_is_at_its_meta_version_only() -> None:
    assert is_version({"meta": {"versionId": "1"}}, "1")
    assert not is_version({"meta": {"versionId": "1"}}, "2")
    assert not is_version({}, "1")
