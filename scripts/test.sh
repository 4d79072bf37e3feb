#!/usr/bin/env bash
# `npm test`: everything CI checks, in order. Starts a throwaway PostgreSQL (127.0.0.1, free port)
# for the relay suite's second pass when none is given in ARES_TEST_DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run --silent typecheck
npm run --silent lint

started_postgres=0
if [ -z "${ARES_TEST_DATABASE_URL:-}" ] && [ -x "${POSTGRES_BIN_DIR:-/usr/lib/postgresql/15/bin}/initdb" ]; then
  eval "$(bash scripts/start-test-postgres.sh)"
  started_postgres=1
fi
stop_postgres() { [ "$started_postgres" = 1 ] && bash scripts/start-test-postgres.sh --stop || true; }
trap stop_postgres EXIT

echo "== unit and integration tests (relay on SQLite)"
npx vitest run

echo "== relay suite on PostgreSQL"
if [ -n "${ARES_TEST_DATABASE_URL:-}" ]; then
  ARES_TEST_RELAY_STORAGE=postgres npx vitest run relay tests/integration
elif [ "${CI:-}" = "true" ]; then
  echo "CI needs PostgreSQL for the relay suite: install the postgresql package (scripts/setup.sh does)." >&2
  exit 1
else
  echo "skipped: no PostgreSQL here (install Debian's postgresql package, or set ARES_TEST_DATABASE_URL)."
fi

echo "== browser tests (Chromium, web mode)"
npx vite build --logLevel warn
npx playwright test
