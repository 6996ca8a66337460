#!/usr/bin/env bash
# Installs the real programs the test suite drives where a user would use them (Debian packages):
#   prometheus                 the dashboard's PrometheusSource test scrapes in-test exporters with it
#   chromium, chromium-driver  the dashboard's headless-browser test (Selenium)
# Tests that need one of these skip with a visible message when it is missing, unless
# SLUICE_REQUIRE_CONFORMANCE is set (CI), where they fail. Run as root (or via sudo); idempotent.
set -euo pipefail
packages=(prometheus chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-test-deps: ${packages[*]} already installed"
  exit 0
fi
sudo=""
if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# --no-install-recommends: prometheus recommends node-exporter and friends, which the tests never use.
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
# Debian's package starts a system Prometheus on :9090; the tests run their own on a free port.
if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then
  $sudo systemctl disable --now prometheus || true
fi
