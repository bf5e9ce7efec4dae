#!/usr/bin/env bash
# Throughput of the portal's pages as a ratio to the no-work Django baseline served beside it in
# the same run (../shared/bench/loadtest.sh, see its README).
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/qf_million bench/throughput.sh [loadtest options]
#
# Optional: BUILD_SCALE=N first loads the demo and `generate_bulk --scale N` into an empty
# DATABASE_URL; REDIS_URL to use Redis for cache and sessions (as with several servers);
# GREY_MODE=1 to measure in the mourning-day grey mode (switched on for the run, off after).
# Loads the anonymous pages (standard and 长者模式), the cadre's pages (a real session) and a static
# file; prints loadtest.sh's table, whose last column is req/s ÷ baseline /tpl. /hello of the
# baseline is in the same table.
set -euo pipefail
cd "$(dirname "$0")/.."
HARNESS=${HARNESS:-../shared/bench/loadtest.sh}
PY=.venv/bin/python
: "${DATABASE_URL:?set DATABASE_URL to the scale data set (PostgreSQL)}"
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz}
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost,testserver
unset DJANGO_DEBUG

if [ -n "${BUILD_SCALE:-}" ]; then
  DJANGO_DEBUG=1 $PY manage.py migrate --noinput
  DJANGO_DEBUG=1 $PY manage.py load_demo
  DJANGO_DEBUG=1 $PY manage.py generate_bulk --scale "$BUILD_SCALE"
fi
$PY manage.py collectstatic --noinput -v0

grey() {
  $PY manage.py shell -c "from core.models import SiteSettings; s = SiteSettings.load(); s.grey_mode = $1; s.save()"
}
if [ -n "${GREY_MODE:-}" ]; then
  grey True
  trap 'grey False' EXIT
fi

export BENCH_CADRE_SESSION
BENCH_CADRE_SESSION=$($PY bench/run.py --session cadre 2>/dev/null | tail -n 1)
mapfile -t anonymous < <($PY bench/run.py --urls anonymous 2>/dev/null | grep '^/')
mapfile -t cadre < <($PY bench/run.py --urls cadre 2>/dev/null | grep '^/' | sort -u)
urls=("${anonymous[@]}")
for url in / /bases/ /publications/; do urls+=("/_elder$url"); done
for url in "${cadre[@]}"; do urls+=("/_cadre$url"); done
urls+=(/static/css/site.css)

"$HARNESS" -a bench.prefixed_wsgi:application "$@" . "$PWD/$PY" "${urls[@]}"
