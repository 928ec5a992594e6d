"""Logging in and resetting a forgotten password by e-mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_leads_to_the_dashboard(client, coordinator):
    response = client.post(
        reverse("accounts:login"), {"username": "coordinator", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:dashboard")


def test_wrong_password_shows_an_error_in_arabic(client, coordinator):
    response = client.post(
        reverse("accounts:login"),
        {"username": "coordinator", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="ar",
    )
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()
    assert response.context["form"].errors


def test_password_reset_mails_a_working_link(client, coordinator):
    client.post(reverse("accounts:password_reset"), {"email": coordinator.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.context["validlink"]
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase-42", "new_password2": "a-new-long-passphrase-42"},
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password("a-new-long-passphrase-42")


def test_logout_needs_post_and_ends_the_session(coordinator_client):
    response = coordinator_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert coordinator_client.get(reverse("staff:dashboard")).status_code == 302
