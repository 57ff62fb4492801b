#!/usr/bin/env bash
# Makes sure what the test suite needs is installed and running on this machine:
# PostgreSQL (a role `wavlake` that may create databases), Redis, ffmpeg, GStreamer, Chromium,
# nginx and nginx-rtmp from Debian's packages.
# Safe to run again; installs only what is missing, and only when run as root.
set -euo pipefail

PG_ROLE=wavlake
PG_PASSWORD=wavlake

need_root() {
  echo "test-services: $1 is missing; install it (as root: apt-get install -y $2) or run this script as root." >&2
  exit 1
}

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then need_root "$1" "$2"; fi
  echo "test-services: installing $2 from Debian's packages"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $2 >/tmp/apt-install.log 2>&1; then
    apt-get update >/tmp/apt-update.log 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $2 >/tmp/apt-install.log 2>&1 \
      || { tail -20 /tmp/apt-install.log >&2; exit 1; }
  fi
}

# --- PostgreSQL -------------------------------------------------------------
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "test-services: using PostgreSQL at TEST_DATABASE_URL"
else
  if ! command -v pg_lsclusters >/dev/null 2>&1; then apt_install PostgreSQL postgresql; fi
  cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
  if [ -z "$cluster" ]; then
    [ "$(id -u)" -eq 0 ] || need_root "a PostgreSQL cluster" postgresql
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    pg_createcluster "$version" main >/dev/null
    cluster="$version main"
  fi
  if ! pg_lsclusters --no-header | awk 'NR==1 {print $4}' | grep -q online; then
    [ "$(id -u)" -eq 0 ] || need_root "a running PostgreSQL" postgresql
    pg_ctlcluster $cluster start
  fi
  port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- psql -p "$port" -qtAc "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'" | grep -q 1 \
      || runuser -u postgres -- psql -p "$port" -qc "CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
  fi
  echo "test-services: PostgreSQL ready on port $port (role $PG_ROLE)"
fi

# --- Media tools: ffmpeg transcodes and publishes; GStreamer is the second RTMP publisher ---
media_packages=""
command -v ffmpeg >/dev/null 2>&1 || media_packages="$media_packages ffmpeg"
command -v gst-launch-1.0 >/dev/null 2>&1 || media_packages="$media_packages gstreamer1.0-tools"
if command -v gst-inspect-1.0 >/dev/null 2>&1; then
  gst-inspect-1.0 rtmp2sink >/dev/null 2>&1 || media_packages="$media_packages gstreamer1.0-plugins-bad"
  gst-inspect-1.0 x264enc >/dev/null 2>&1 || media_packages="$media_packages gstreamer1.0-plugins-ugly"
  gst-inspect-1.0 flvmux >/dev/null 2>&1 || media_packages="$media_packages gstreamer1.0-plugins-good"
else
  media_packages="$media_packages gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly"
fi
if [ -n "$media_packages" ]; then apt_install "ffmpeg and GStreamer" "$media_packages"; fi
echo "test-services: ffmpeg $(ffmpeg -version | awk 'NR==1 {print $3}'), GStreamer $(gst-launch-1.0 --version | awk 'NR==1 {print $3}')"
# Audio streams' generated cover cards draw their title in DejaVu Sans, found through fontconfig.
if ! fc-list 2>/dev/null | grep -q 'DejaVu Sans'; then apt_install "the cover cards' font" "fonts-dejavu-core fontconfig"; fi

# --- Chromium for the browser tests (driven by playwright-core; no browser download) ---
if ! command -v chromium >/dev/null 2>&1; then apt_install Chromium chromium; fi
# Chat reactions are emoji; without a colour emoji font the screenshots show empty boxes.
if [ ! -d /usr/share/fonts/truetype/noto ] || ! ls /usr/share/fonts/truetype/noto | grep -q NotoColorEmoji; then
  apt_install "an emoji font" fonts-noto-color-emoji
fi
echo "test-services: $(chromium --version 2>/dev/null | head -1)"

# --- Redis for the scale-out test (two service processes sharing PostgreSQL and Redis) ---
if [ -n "${TEST_REDIS_URL:-}" ]; then
  echo "test-services: using Redis at TEST_REDIS_URL"
else
  if ! command -v redis-server >/dev/null 2>&1; then apt_install Redis redis-server; fi
  if ! redis-cli -p 6379 ping >/dev/null 2>&1; then
    redis-server --port 6379 --bind 127.0.0.1 --daemonize yes --save '' --appendonly no >/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do redis-cli -p 6379 ping >/dev/null 2>&1 && break; sleep 0.3; done
  fi
  echo "test-services: Redis ready on port 6379"
fi

# --- nginx as the HLS edge and nginx-rtmp as ingest, for the cluster test (scripts/edge.sh) ---
nginx_packages=""
command -v nginx >/dev/null 2>&1 || nginx_packages="nginx"
[ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ] || nginx_packages="$nginx_packages libnginx-mod-rtmp"
if [ -n "$nginx_packages" ]; then
  apt_install "nginx and nginx-rtmp" "$nginx_packages"
  # The package starts Debian's own nginx on port 80; tests start theirs from generated configs
  # in temporary folders, on free ports, and never need that one.
  if [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
    nginx -q -s quit -c /etc/nginx/nginx.conf || true
  fi
fi
echo "test-services: $(nginx -v 2>&1) with nginx-rtmp"
