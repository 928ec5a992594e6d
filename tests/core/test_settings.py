"""Settings read from the environment, and production settings that pass the deploy check."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

from mizan.settings.environment import development_secret_key

ROOT = Path(__file__).resolve().parents[2]


def run_check(env_overrides):
    env = {**os.environ, **env_overrides}
    return subprocess.run(
        [sys.executable, "-m", "mizan.core.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run_check(
        {
            "DJANGO_SETTINGS_MODULE": "mizan.settings.production",
            "MIZAN_SECRET_KEY": "k" * 20 + "production-only-4f8a9c2e7d1b6a3f0e5c8b7a6d9f2e1c",
            "MIZAN_ALLOWED_HOSTS": "mizan.example.org",
            "MIZAN_EMAIL_URL": "smtp+tls://mizan:secret@mail.example.org:587",
            "MIZAN_DATA_DIR": str(tmp_path),
            "MIZAN_SITE_URL": "https://mizan.example.org",
        }
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_the_deploy_check_warns_when_links_would_point_at_localhost(tmp_path):
    result = run_check(
        {
            "DJANGO_SETTINGS_MODULE": "mizan.settings.production",
            "MIZAN_SECRET_KEY": "k" * 20 + "production-only-4f8a9c2e7d1b6a3f0e5c8b7a6d9f2e1c",
            "MIZAN_ALLOWED_HOSTS": "mizan.example.org",
            "MIZAN_EMAIL_URL": "smtp+tls://mizan:secret@mail.example.org:587",
            "MIZAN_DATA_DIR": str(tmp_path),
            "MIZAN_SITE_URL": "http://localhost:8000",
        }
    )
    assert result.returncode != 0
    assert "mizan.W001" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_check(
        {
            "DJANGO_SETTINGS_MODULE": "mizan.settings.production",
            "MIZAN_SECRET_KEY": "",
            "MIZAN_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode != 0
    assert "MIZAN_SECRET_KEY must be set" in result.stderr


def test_development_key_is_generated_once_and_private(tmp_path):
    first = development_secret_key(tmp_path)
    assert development_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_settings_command_lists_every_variable(capsys):
    call_command("settings")
    output = capsys.readouterr().out
    for name in ("DATABASE_URL", "MIZAN_SECRET_KEY", "MIZAN_ALLOWED_HOSTS", "MIZAN_EMAIL_URL"):
        assert name in output
