#!/usr/bin/env bash
# Starts Debian's nginx as the HLS edge in front of one or more Wavlake Live nodes (and, with
# --rtmp-listen, nginx-rtmp as ingest), from deploy/nginx/*.conf.template. The one renderer
# of those templates: testkit/edge.ts runs this script too.
#
#   scripts/edge.sh --dir /var/lib/wavlake-edge --listen 80 \
#     --node http://10.0.0.1:8080 --node http://10.0.0.2:8080 --viewer-log 10.0.0.1:5140 \
#     --rtmp-listen 1935 --rtmp-node 10.0.0.1:1935
#
# Runs nginx in the foreground (for systemd or a terminal); --render-only writes the config
# into --dir and exits. See the README, "An nginx edge in front".
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true

usage() {
  cat >&2 <<'USAGE'
Usage: scripts/edge.sh --dir DIR --node URL [--node URL …] [options]
  --dir DIR             folder for the rendered config, cache, temp files and pid (created)
  --listen ADDR         address or port the edge listens on for HTTP (default 8000)
  --node URL            a node (http://host:port): web app, API, relay; repeat for each node
  --hls-node URL        a node HLS requests go to (default: every --node); repeat
  --hls-balance MODE    round-robin (default) or stream (all of a stream's requests to one node)
  --viewer-log HOST:PORT  send one syslog line per playlist request to the node listening there
                        (its EDGE_LOG_LISTEN); the nodes then count viewers from them
  --cache-size SIZE     most disk the cache may use (default 2g)
  --workers N           nginx worker processes (default auto)
  --rtmp-listen PORT    also run nginx-rtmp as ingest on this port
  --rtmp-node HOST:PORT the node RTMP ingest pushes to (default: the first --node's host, port 1935)
  --rtmp-auth URL       on_publish URL (default: the first --node + /api/v1/streams/auth?check_only=1)
  --render-only         write DIR/nginx.conf and exit without starting nginx
USAGE
  exit 2
}

fail() { echo "edge.sh: $1" >&2; exit 2; }

# Bracketed IPv6 allowed; nothing that could end an nginx directive.
ADDRESS='^[][A-Za-z0-9.:_-]+$'
HOSTPORT='^[][A-Za-z0-9.:_-]+:[0-9]+$'

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
templates="$here/deploy/nginx"
dir="" listen=8000 balance=round-robin viewer_log="" cache_size=2g workers=auto
rtmp_listen="" rtmp_node="" rtmp_auth="" render_only=0
nodes=() hls_nodes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=${2:?}; shift 2 ;;
    --listen) listen=${2:?}; shift 2 ;;
    --node) nodes+=("${2:?}"); shift 2 ;;
    --hls-node) hls_nodes+=("${2:?}"); shift 2 ;;
    --hls-balance) balance=${2:?}; shift 2 ;;
    --viewer-log) viewer_log=${2:?}; shift 2 ;;
    --cache-size) cache_size=${2:?}; shift 2 ;;
    --workers) workers=${2:?}; shift 2 ;;
    --rtmp-listen) rtmp_listen=${2:?}; shift 2 ;;
    --rtmp-node) rtmp_node=${2:?}; shift 2 ;;
    --rtmp-auth) rtmp_auth=${2:?}; shift 2 ;;
    --render-only) render_only=1; shift ;;
    -h|--help) usage ;;
    *) echo "edge.sh: unknown option $1" >&2; usage ;;
  esac
done
[ -n "$dir" ] || fail "--dir is required (where the config, cache and pid file go)"
[ ${#nodes[@]} -gt 0 ] || fail "give at least one --node http://host:port"
[ ${#hls_nodes[@]} -gt 0 ] || hls_nodes=("${nodes[@]}")
command -v nginx >/dev/null 2>&1 || fail "nginx is not installed (apt-get install -y nginx-light libnginx-mod-rtmp)"

# http://host:port[/] → host:port, refusing anything else: it goes into nginx's config as is.
host_port() {
  local url=$1 hostport
  hostport=${url#http://}
  hostport=${hostport%/}
  [[ "$url" == http://* && "$hostport" =~ $HOSTPORT ]] || fail "$url is not http://host:port"
  echo "$hostport"
}
servers() {
  local url
  for url in "$@"; do echo "    server $(host_port "$url") max_fails=3 fail_timeout=5s;"; done
}
# Checked here, in this shell: a failure inside the $(servers …) below would only end a subshell.
for url in "${nodes[@]}" "${hls_nodes[@]}"; do host_port "$url" >/dev/null; done
[[ "$listen" =~ $ADDRESS ]] || fail "--listen $listen is not an address or port"
[[ "$cache_size" =~ ^[0-9]+[kmg]?$ ]] || fail "--cache-size $cache_size is not a size such as 2g"
[[ "$workers" =~ ^([0-9]+|auto)$ ]] || fail "--workers $workers is not a number or auto"
case "$balance" in
  round-robin) hls_balance="" ;;
  stream) hls_balance="    hash \$wavlake_stream consistent;" ;;
  *) fail "--hls-balance is round-robin or stream" ;;
esac
viewer_lines=""
if [ -n "$viewer_log" ]; then
  [[ "$viewer_log" =~ $HOSTPORT ]] || fail "--viewer-log $viewer_log is not host:port"
  # The origin does not count what the edge logs (it would count the edge's cache fills as a viewer).
  viewer_lines="      access_log syslog:server=$viewer_log,tag=wavlake,nohostname wavlake_viewers if=\$wavlake_playlist;
      proxy_set_header X-Wavlake-Counted edge-log;"
fi

render() { # template-file → stdout, with every @NAME@ replaced
  local text
  text=$(<"$1")
  text=${text//@DIR@/$dir}
  text=${text//@WORKERS@/$workers}
  text=${text//@LISTEN@/$listen}
  text=${text//@APP_SERVERS@/$(servers "${nodes[@]}")}
  text=${text//@HLS_SERVERS@/$(servers "${hls_nodes[@]}")}
  text=${text//@HLS_BALANCE@/$hls_balance}
  text=${text//@CACHE_SIZE@/$cache_size}
  text=${text//@VIEWER_LOG@/$viewer_lines}
  text=${text//@RTMP_MODULE@/$rtmp_module}
  text=${text//@RTMP_INGEST@/$rtmp_ingest}
  text=${text//@RTMP_LISTEN@/$rtmp_listen}
  text=${text//@RTMP_NODE@/$rtmp_node}
  text=${text//@RTMP_AUTH_URL@/$rtmp_auth}
  printf '%s\n' "$text"
}

mkdir -p "$dir/tmp" "$dir/cache"
dir=$(cd "$dir" && pwd)
# nginx's workers run as an unprivileged user when started as root: they must reach the cache.
chmod 755 "$dir"
rtmp_module="" rtmp_ingest=""
if [ -n "$rtmp_listen" ]; then
  [[ "$rtmp_listen" =~ $ADDRESS ]] || fail "--rtmp-listen $rtmp_listen is not an address or port"
  first=$(host_port "${nodes[0]}")
  [ -n "$rtmp_node" ] || rtmp_node="${first%:*}:1935"
  [[ "$rtmp_node" =~ $HOSTPORT ]] || fail "--rtmp-node $rtmp_node is not host:port"
  [ -n "$rtmp_auth" ] || rtmp_auth="http://$first/api/v1/streams/auth?check_only=1"
  module=/usr/lib/nginx/modules/ngx_rtmp_module.so
  [ -f "$module" ] || fail "nginx-rtmp is not installed (apt-get install -y libnginx-mod-rtmp)"
  rtmp_module="load_module $module;"
  rtmp_ingest="include $dir/ingest.conf;"
  render "$templates/ingest.conf.template" >"$dir/ingest.conf"
fi
render "$templates/edge.conf.template" >"$dir/nginx.conf"
nginx -q -t -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;'
if [ "$render_only" -eq 1 ]; then echo "$dir/nginx.conf"; exit 0; fi
exec nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;'
