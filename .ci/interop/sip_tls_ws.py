#!/usr/bin/env python3
"""TLS and WebSocket interop for options-responder, with peers that share no code with ours:
Python's ssl module (OpenSSL) for TLS, and a WebSocket client written here from RFC 6455 /
RFC 7118 (handshake with the `sip` subprotocol, masked text frames).

    sip_tls_ws.py CAFILE TLS_PORT WS_PORT

Sends OPTIONS over each and expects `SIP/2.0 200`; exits non-zero otherwise."""
import base64
import hashlib
import os
import socket
import ssl
import struct
import sys

HOST = "127.0.0.1"


def options(transport, local):
    return (
        f"OPTIONS sip:{HOST} SIP/2.0\r\n"
        f"Via: SIP/2.0/{transport} {local[0]}:{local[1]};branch=z9hG4bK-interop-{transport.lower()}\r\n"
        f"From: <sip:interop@{HOST}>;tag=py1\r\n"
        f"To: <sip:{HOST}>\r\n"
        f"Call-ID: interop-{transport.lower()}@{HOST}\r\n"
        "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
    ).encode()


def read_head(sock, step, what):
    """Reads until the blank line ending a head, `step` bytes at a time."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(step)
        if not chunk:
            raise RuntimeError(f"connection closed {what}")
        data += chunk
    return data


def read_sip(sock):
    data = read_head(sock, 4096, "before a response")
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() in (b"content-length", b"l"):
            length = int(value.strip())
    while len(body) < length:
        body += sock.recv(4096)
    return head.decode()


def tls(cafile, port):
    context = ssl.create_default_context(cafile=cafile)
    with socket.create_connection((HOST, port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as sock:
            sock.sendall(options("TLS", sock.getsockname()))
            head = read_sip(sock)
            version = sock.version()
    if not head.startswith("SIP/2.0 200"):
        raise RuntimeError(f"TLS: unexpected response:\n{head}")
    print(f"ok: OPTIONS over TLS ({version}, OpenSSL {ssl.OPENSSL_VERSION.split()[1]}) -> 200")


def ws_frame(payload):
    """One masked text frame (RFC 6455 §5.2; clients mask)."""
    mask = os.urandom(4)
    header = bytes([0x81])
    n = len(payload)
    if n < 126:
        header += bytes([0x80 | n])
    elif n < 65536:
        header += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        header += bytes([0x80 | 127]) + struct.pack("!Q", n)
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise RuntimeError("connection closed mid-frame")
        data += chunk
    return data


def ws_read(sock):
    first, second = recv_exact(sock, 2)
    n = second & 0x7F
    if n == 126:
        n = struct.unpack("!H", recv_exact(sock, 2))[0]
    elif n == 127:
        n = struct.unpack("!Q", recv_exact(sock, 8))[0]
    if second & 0x80:
        raise RuntimeError("server frames must not be masked")
    return first & 0x0F, recv_exact(sock, n)


def ws(port):
    key = base64.b64encode(os.urandom(16)).decode()
    accept = base64.b64encode(
        hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()
    ).decode()
    with socket.create_connection((HOST, port), timeout=10) as sock:
        sock.sendall(
            (
                f"GET / HTTP/1.1\r\nHost: {HOST}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n"
            ).encode()
        )
        # One byte at a time: the first WebSocket frame must stay in the socket.
        handshake = read_head(sock, 1, "during the handshake")
        lines = handshake.decode().split("\r\n")
        headers = {l.split(":", 1)[0].strip().lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
        if not lines[0].startswith("HTTP/1.1 101"):
            raise RuntimeError(f"WS: handshake refused: {lines[0]}")
        if headers.get("sec-websocket-accept") != accept:
            raise RuntimeError("WS: wrong Sec-WebSocket-Accept")
        if headers.get("sec-websocket-protocol") != "sip":
            raise RuntimeError("WS: subprotocol sip not selected (RFC 7118 §4)")
        sock.sendall(ws_frame(options("WS", ("interop.invalid", 9))))
        opcode, payload = ws_read(sock)
    if opcode not in (1, 2) or not payload.startswith(b"SIP/2.0 200"):
        raise RuntimeError(f"WS: unexpected frame {opcode}: {payload[:200]!r}")
    print("ok: OPTIONS over WebSocket (RFC 7118, subprotocol sip) -> 200")


def main():
    cafile, tls_port, ws_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    tls(cafile, tls_port)
    ws(ws_port)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # report and fail
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
