#!/usr/bin/env bash
# Interop: the wire format of the rtp crate checked by an independent decoder (tshark).
# Two sessions run in virtual time (rtp/examples/pcap_dump.rs: 100 PCMU frames, a DTMF '5',
# RTCP SR/RR/SDES, a BYE) and every datagram is written to a pcap file; tshark must decode
# all of it without a malformed packet or an expert error, see no loss, find the SR, RR,
# SDES CNAME and BYE, and decode the RFC 4733 event (start, updates, end three times).
# Needs no network and no capture privileges. Installs tshark with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v tshark >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq tshark >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run -q -p rtp --example pcap_dump -- "$work/rtp.pcap"

decode=(-d udp.port==40000,rtp -d udp.port==40002,rtp -d udp.port==40001,rtcp -d udp.port==40003,rtcp
        -o rtpevent.event_payload_type_value:101)
count() { tshark -r "$work/rtp.pcap" "${decode[@]}" -Y "$1" 2>/dev/null | wc -l; }
fail=0
expect() { # name, filter, comparison (e.g. "-eq 100")
    local n
    n=$(count "$2")
    if [ "$n" $3 ]; then echo "ok   $1: $n"; else echo "FAIL $1: $n (want $3)"; fail=1; fi
}

expect "RTP PCMU packets"            "rtp.p_type == 0"                         "-eq 100"
expect "RFC 4733 packets (DTMF 5)"   "rtpevent.event_id == 5"                  "-eq 6"
expect "RFC 4733 end packets"        "rtpevent.end_of_event == 1"              "-eq 3"
expect "RFC 4733 start with marker"  "rtpevent && rtp.marker == 1"             "-eq 1"
expect "RTCP sender reports"         "rtcp.pt == 200"                          "-ge 1"
expect "RTCP receiver reports"       "rtcp.pt == 201"                          "-ge 1"
expect "RTCP report blocks"          "rtcp.ssrc.identifier"                    "-ge 1"
expect "SDES CNAME"                  "rtcp.sdes.type == 1"                     "-ge 4"
expect "BYE with reason"             "rtcp.pt == 203 && rtcp.sdes.text == \"done\""     "-eq 1"
expect "malformed or expert errors"  "_ws.malformed || _ws.expert.severity >= error" "-eq 0"

streams=$(tshark -r "$work/rtp.pcap" "${decode[@]}" -q -z rtp,streams 2>/dev/null)
echo "$streams"
if ! echo "$streams" | grep -q "0 (0.0%)"; then echo "FAIL: tshark reports RTP loss"; fail=1; fi

exit "$fail"
