#!/usr/bin/env bash
# STUN interop on loopback (issue: stun crate).
#   1. our `stun-tool client` against coturn (`turnserver --stun-only --no-auth`)
#   2. coturn's `turnutils_stunclient` and Debian's `stun` (stun-client 0.97, RFC 3489)
#      against our `stun-tool server`
#   3. our client against our server: no auth, short-term and long-term credentials,
#      and the error exit on timeout
# Installs coturn and stun-client with apt-get when missing. Kills only what it started.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v turnserver >/dev/null || ! command -v turnutils_stunclient >/dev/null || ! command -v stun >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y coturn stun-client >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y coturn stun-client >/dev/null; }
fi

cargo build --quiet -p examples --bin stun-tool
tool="${CARGO_TARGET_DIR:-target}/debug/stun-tool"

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Whether a UDP port is bound (IPv4 or IPv6), from /proc (no ss/python needed).
udp_bound() {
    local hex
    hex=$(printf ':%04X ' "$1")
    cat /proc/net/udp /proc/net/udp6 2>/dev/null | awk '{print $2}' | grep -q "${hex% }\$"
}
# A UDP port in 20000..59999 that nothing is bound to.
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        udp_bound "$port" || { echo "$port"; return; }
    done
}
wait_udp() {  # $1 port
    local i
    for i in $(seq 50); do
        udp_bound "$1" && return 0
        sleep 0.1
    done
    echo "stun interop: nothing listens on udp port $1" >&2
    return 1
}
fail() { echo "stun interop: FAIL: $*" >&2; exit 1; }

# 1. our client -> coturn
coturn_port=$(free_port)
timeout 120 turnserver -n --stun-only --no-auth -L 127.0.0.1 --listening-port "$coturn_port" \
    --no-tls --no-dtls --no-cli --db "$work/turndb" --log-file "$work/turnserver.log" --simple-log \
    --no-stdout-log >"$work/turnserver.out" 2>&1 &
pids+=($!)
wait_udp "$coturn_port"
local_port=$(free_port)
out=$(timeout 60 "$tool" client --bind "127.0.0.1:$local_port" "127.0.0.1:$coturn_port")
[ "$out" = "mapped 127.0.0.1:$local_port" ] || fail "client vs coturn printed '$out'"
echo "ok: stun-tool client vs coturn: $out"

# 2. coturn's and Debian's clients -> our server
our_port=$(free_port)
"$tool" server --listen "127.0.0.1:$our_port" 2>"$work/server.log" &
pids+=($!)
wait_udp "$our_port"
timeout 30 turnutils_stunclient -p "$our_port" 127.0.0.1 >"$work/turnutils.log" 2>&1 \
    || fail "turnutils_stunclient exit $? ($(cat "$work/turnutils.log"))"
grep -q 'UDP reflexive addr: 127\.0\.0\.1:[0-9]' "$work/turnutils.log" \
    || fail "turnutils_stunclient: no reflexive address ($(cat "$work/turnutils.log"))"
echo "ok: turnutils_stunclient vs stun-tool server: $(grep -m1 'reflexive' "$work/turnutils.log")"
# stun-client's exit status is the NAT type it found (1 = open), not success/failure.
timeout 30 stun "127.0.0.1:$our_port" -v >"$work/stun-client.log" 2>&1 || true
grep -q 'MappedAddress = 127\.0\.0\.1:[0-9]' "$work/stun-client.log" \
    || fail "stun (stun-client): no MappedAddress ($(tail -5 "$work/stun-client.log"))"
echo "ok: stun (stun-client 0.97, RFC 3489) vs stun-tool server: $(grep -m1 'MappedAddress' "$work/stun-client.log")"

# 3. our client -> our server, with credentials
st_port=$(free_port)
"$tool" server --listen "127.0.0.1:$st_port" --username alice --password s3cret 2>>"$work/server.log" &
pids+=($!)
lt_port=$(free_port)
"$tool" server --listen "127.0.0.1:$lt_port" --username bob --password hunter2 --realm example.org 2>>"$work/server.log" &
pids+=($!)
wait_udp "$st_port"
wait_udp "$lt_port"
out=$(timeout 60 "$tool" client "127.0.0.1:$st_port" --username alice --password s3cret)
[[ "$out" =~ ^mapped\ 127\.0\.0\.1:[0-9]+$ ]] || fail "short-term client printed '$out'"
echo "ok: short-term credentials: $out"
out=$(timeout 60 "$tool" client "127.0.0.1:$lt_port" --username bob --password hunter2 --realm example.org)
[[ "$out" =~ ^mapped\ 127\.0\.0\.1:[0-9]+$ ]] || fail "long-term client printed '$out'"
echo "ok: long-term credentials (401 challenge, SHA-256 key): $out"
if timeout 60 "$tool" client "127.0.0.1:$st_port" --username alice --password wrong >"$work/err.out" 2>"$work/err.log"; then
    fail "wrong short-term password accepted"
fi
grep -q '401' "$work/err.log" || fail "wrong password: unexpected error ($(cat "$work/err.log"))"
echo "ok: wrong password -> exit 1: $(cat "$work/err.log")"
silent=$(free_port)
if timeout 60 "$tool" client "127.0.0.1:$silent" --rto-ms 50 --rc 2 >"$work/err.out" 2>"$work/err.log"; then
    fail "client against a silent port succeeded"
fi
grep -q 'timeout' "$work/err.log" || fail "silent port: unexpected error ($(cat "$work/err.log"))"
echo "ok: silent server -> exit 1: $(cat "$work/err.log")"
echo "stun interop: PASS"
