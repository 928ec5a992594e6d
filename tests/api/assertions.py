"""Assertions the API tests share."""

from __future__ import annotations


def assert_error_shape(response, status_code: int) -> dict:
    """The API's one error shape, with the expected status; returns the ``error`` object."""
    assert response.status_code == status_code, response.content
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    return error
