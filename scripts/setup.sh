#!/usr/bin/env bash
# Sets up a fresh checkout: the Debian packages the tests use (Chromium for the browser tests,
# python3-onnx to generate the small test embedding models, unzip to check export archives,
# PostgreSQL for the relay suite's second storage),
# then the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

system_packages=(chromium python3-onnx python3-numpy unzip postgresql)
if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for package in "${system_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo_prefix=""
    [ "$(id -u)" -ne 0 ] && sudo_prefix="sudo"
    echo "Installing Debian packages: ${missing[*]}"
    $sudo_prefix apt-get update -qq
    $sudo_prefix env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
else
  echo "Not a Debian/Ubuntu system: install Chromium and Python's onnx and numpy packages yourself for the tests."
fi

npm ci --no-audit --no-fund
