#!/usr/bin/env bash
# Run before `npm start`: the service transcodes with ffmpeg. Installs Debian's ffmpeg when it is
# missing and we are root; otherwise says how, and lets the service start (streams then fail with
# a readable reason until ffmpeg is there).
set -uo pipefail
ffmpeg_bin="${FFMPEG_PATH:-ffmpeg}"
if command -v "$ffmpeg_bin" >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-ffmpeg: installing ffmpeg from Debian's packages"
  (DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg >/tmp/apt-ffmpeg.log 2>&1 \
    || { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg >/tmp/apt-ffmpeg.log 2>&1; }) \
    || echo "ensure-ffmpeg: could not install ffmpeg (see /tmp/apt-ffmpeg.log)" >&2
else
  echo "ensure-ffmpeg: ffmpeg is not installed; install it (apt-get install ffmpeg) or set FFMPEG_PATH, or streams cannot be transcoded" >&2
fi
exit 0
