#!/usr/bin/env bash
# Interop of sip-transport's Endpoint with SIPp (Debian `sip-tester`), loopback only.
#  1. SIPp UAC -> options-responder: OPTIONS over UDP and TCP (scenarios/options.xml).
#  2. SIPp built-in UAC (-sn uac) -> uas-skeleton: INVITE/ACK/BYE over UDP and TCP.
#  3. uac example -> SIPp built-in UAS (-sn uas): INVITE/ACK/BYE over UDP and TCP.
#  4. OPTIONS over TLS from OpenSSL (Python's ssl, a certificate made by the openssl CLI)
#     and over WebSocket from an independent RFC 6455/7118 client (sip_tls_ws.py).
# Every step asserts zero failed calls. Kills what it started; non-zero exit on failure.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SCENARIOS="$ROOT/.ci/interop/scenarios"
CALLS="${SIP_INTEROP_CALLS:-200}"
WORK="$(mktemp -d)"
PIDS=()

cleanup() {
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

if ! command -v sipp >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y sip-tester >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y sip-tester >/dev/null; }
fi

cd "$ROOT"
cargo build --release -p examples --bin options-responder --bin uas-skeleton --bin uac
BIN="$ROOT/target/release"

# A free port, usable for UDP and TCP alike.
free_port() {
    python3 - <<'PY'
import socket
while True:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
    port = u.getsockname()[1]
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        t.bind(("127.0.0.1", port)); print(port); break
    except OSError:
        pass
    finally:
        t.close(); u.close()
PY
}

wait_listening() { # port
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    echo "server on port $1 did not start" >&2
    return 1
}

run_sipp() { # name, sipp args...
    local name="$1"; shift
    if ! timeout 120 sipp "$@" -nostdin -m "$CALLS" -timeout 60s -timeout_error \
        -trace_err -error_file "$WORK/$name.err" >"$WORK/$name.out" 2>&1; then
        echo "FAIL: $name" >&2
        tail -20 "$WORK/$name.out" >&2 || true
        tail -20 "$WORK/$name.err" >&2 || true
        exit 1
    fi
    echo "ok: $name ($CALLS calls, 0 failed)"
}

# 1. OPTIONS.
PORT="$(free_port)"
"$BIN/options-responder" --udp "127.0.0.1:$PORT" --tcp "127.0.0.1:$PORT" 2>"$WORK/responder.log" &
PIDS+=($!)
wait_listening "$PORT"
run_sipp options-udp -sf "$SCENARIOS/options.xml" "127.0.0.1:$PORT" -i 127.0.0.1 -p "$(free_port)" -t u1 -r 200 -l 50
run_sipp options-tcp -sf "$SCENARIOS/options.xml" "127.0.0.1:$PORT" -i 127.0.0.1 -p "$(free_port)" -t t1 -r 200 -l 50

# 2. INVITE/BYE to the UAS skeleton.
PORT="$(free_port)"
"$BIN/uas-skeleton" --udp "127.0.0.1:$PORT" --tcp "127.0.0.1:$PORT" 2>"$WORK/uas.log" &
PIDS+=($!)
wait_listening "$PORT"
run_sipp uac-udp -sn uac "127.0.0.1:$PORT" -i 127.0.0.1 -p "$(free_port)" -t u1 -r 100 -l 50 -d 10
run_sipp uac-tcp -sn uac "127.0.0.1:$PORT" -i 127.0.0.1 -p "$(free_port)" -t t1 -r 100 -l 50 -d 10

# 3. The uac example to SIPp's UAS.
for t in u1 t1; do
    PORT="$(free_port)"
    sipp -sn uas -i 127.0.0.1 -p "$PORT" -t "$t" -nostdin -m "$CALLS" -timeout 90s -timeout_error \
        >"$WORK/uas-$t.out" 2>&1 &
    SIPP_PID=$!
    PIDS+=("$SIPP_PID")
    sleep 0.5
    name=udp; [ "$t" = t1 ] && name=tcp
    if ! timeout 90 "$BIN/uac" --target "127.0.0.1:$PORT" --transport "$name" --calls "$CALLS" --concurrency 20 --linger 5; then
        echo "FAIL: uac-to-sipp-uas-$name" >&2
        exit 1
    fi
    # SIPp's UAS keeps each call 4 s after the BYE, then exits: 0 only when every call
    # succeeded on its side too.
    if ! wait "$SIPP_PID"; then
        echo "FAIL: sipp -sn uas over $name reported failed calls" >&2
        tail -30 "$WORK/uas-$t.out" >&2 || true
        exit 1
    fi
    echo "ok: uac -> sipp -sn uas over $name ($CALLS calls, 0 failed on both sides)"
done
# 4. TLS and WebSocket with peers that share no code with ours.
if ! command -v openssl >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y openssl >/dev/null
fi
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 \
    -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
TLS_PORT="$(free_port)"
WS_PORT="$(free_port)"
"$BIN/options-responder" --tls "127.0.0.1:$TLS_PORT" --cert "$WORK/cert.pem" --key "$WORK/key.pem" \
    --ws "127.0.0.1:$WS_PORT" 2>"$WORK/tls.log" &
PIDS+=($!)
wait_listening "$TLS_PORT"
wait_listening "$WS_PORT"
if ! timeout 30 python3 "$ROOT/.ci/interop/sip_tls_ws.py" "$WORK/cert.pem" "$TLS_PORT" "$WS_PORT"; then
    echo "FAIL: TLS / WebSocket interop" >&2
    cat "$WORK/tls.log" >&2 || true
    exit 1
fi
echo "sip interop: all passed"
