#!/usr/bin/env bash
# Builds the console's GOV.UK Frontend assets into web/static/govuk from the pinned npm packages
# in web/frontend (package-lock.json): the Sass compiled with the council's font stack, and the
# Frontend's JavaScript module. Needs Node.js and npm; nothing is fetched at run time.
set -euo pipefail
cd "$(dirname "$0")/../web/frontend"
if ! command -v npm > /dev/null && command -v apt-get > /dev/null; then
  echo "Installing Node.js and npm (Debian packages) to build the console's assets"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
command -v npm > /dev/null || {
  echo "npm is needed to build the console's assets: install Node.js 18 or newer with npm." >&2
  exit 1
}
npm ci --no-audit --no-fund --loglevel=error
out=../static/govuk
rm -rf "$out" && mkdir -p "$out"
npx --no-install sass --pkg-importer=node --style=compressed --no-source-map console.scss "$out/console.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/"
touch "$out/.built"
