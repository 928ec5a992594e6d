#!/usr/bin/env bash
# Installs the Debian packages Mizan needs (only those missing): Chromium for browser
# tests, gettext for translations, Noto fonts and Pango for Arabic PDFs, libmagic to
# recognise uploaded files by their content, PostgreSQL.
set -euo pipefail
packages=(chromium gettext fonts-noto-core poppler-utils libharfbuzz-subset0
          libpango-1.0-0 libpangoft2-1.0-0 libmagic1 postgresql postgresql-contrib)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "Installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
