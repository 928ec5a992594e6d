"""/api/v1/my-work/: the requesting user's work, as on the "my work" page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api.assertions import assert_error_shape
from tests.reminders.conftest import make_action

pytestmark = pytest.mark.django_db

URL = "/api/v1/my-work/"


@pytest.fixture
def police(focal_point):
    return focal_point.memberships.get().institution


def test_lists_the_user_s_work(as_user, focal_point, police):
    today = timezone.localdate()
    action = make_action(police, today - timedelta(days=2), title="Late action")
    body = as_user(focal_point).get(URL).json()
    assert body["today"] == today.isoformat()
    [item] = body["items"]
    assert item["kind"] == "action"
    assert item["id"] == action.pk
    assert item["title"] == "Late action"
    assert item["due_on"] == (today - timedelta(days=2)).isoformat()
    assert (item["overdue"], item["days_overdue"]) == (True, 2)
    assert item["institution"]["code"] == "police"
    assert item["url"].startswith("http://testserver/staff/")


def test_another_member_does_not_get_my_work(as_user, viewer, police):
    make_action(police, timezone.localdate())
    assert as_user(viewer).get(URL).json()["items"] == []


def test_an_account_without_membership_is_refused(as_user, outsider):
    assert_error_shape(as_user(outsider).get(URL), 403)


def test_anonymous_is_refused(api):
    assert_error_shape(api.get(URL), 401)


def test_it_is_read_only(as_user, focal_point):
    assert as_user(focal_point).post(URL, {}).status_code == 405


def test_query_count_does_not_grow_with_items(
    as_user, focal_point, police, django_assert_max_num_queries
):
    today = timezone.localdate()
    make_action(police, today)
    client = as_user(focal_point)
    with django_assert_max_num_queries(20) as one:
        client.get(URL)
    for n in range(3):
        make_action(police, today + timedelta(days=n))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(URL).json()["items"]) == 4
