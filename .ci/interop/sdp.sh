#!/usr/bin/env bash
# Interop: SAP packets (RFC 2974) carrying SDP (RFC 8866) made by the `sdp` crate's encoder
# and offer/answer engine are decoded by Wireshark's dissectors (tshark), field by field,
# with no malformed-packet or warning-level expert info.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v tshark >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q tshark >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q tshark >/dev/null; }
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo run -q -p sdp --example sap_pcap -- "$work/sap.pcap"

fields=$(tshark -r "$work/sap.pcap" -T fields -E separator='|' -E occurrence=a -E aggregator=, \
    -e sap.flags.v -e sap.flags.a -e sap.flags.t -e sap.message_identifier_hash \
    -e sap.originating_source -e sap.originating_source.ipv6 -e sap.payload_type \
    -e sdp.owner.username -e sdp.owner.sessionid -e sdp.connection_info.address \
    -e sdp.media.media -e sdp.media.port -e sdp.media.proto 2>/dev/null)
expected="1|0|0|0x1234|192.0.2.10||application/sdp|announcer|3900000001|192.0.2.10|audio,video|49170,51372|RTP/AVP,RTP/AVP
1|1|1|0x1234||2001:db8::10|application/sdp|announcer|3900000001|192.0.2.10|audio,video|49170,51372|RTP/AVP,RTP/AVP"
if [ "$fields" != "$expected" ]; then
    echo "tshark decoded:"; echo "$fields"
    echo "expected:"; echo "$expected"
    exit 1
fi

problems=$(tshark -r "$work/sap.pcap" -Y '_ws.malformed || _ws.expert.severity >= 6291456' 2>/dev/null)
if [ -n "$problems" ]; then
    echo "tshark reports problems:"; echo "$problems"
    tshark -r "$work/sap.pcap" -V 2>/dev/null | tail -n 60
    exit 1
fi
echo "sdp interop: tshark decodes both SAP packets and their SDP as encoded"
