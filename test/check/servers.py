#!/usr/bin/env python3
"""servers.py - small backends for test/check/checkers.sh.

  servers.py tcp  ADDR PORT    accept TCP connections and close them
  servers.py udp  ADDR PORT    echo each UDP datagram back
  servers.py smtp ADDR PORT    an SMTP responder: 220 greeting, 250 to
                               HELO/EHLO, 221 to QUIT, one client at a time
  servers.py dns  ADDR PORT    answer every query (UDP) with NOERROR and,
                               for SOA ".", a SOA record
  servers.py http ADDR PORT    canned HTTP replies, each body "hello", one
                               thread per connection, by path:
                               /continue  a 100 Continue head before the 200
                               /lf        lines ended by a bare LF
                               /short     Content-Length 100, 5 bytes, close
                               /bighead/N a head of about N KiB (one long
                                          Content-Security-Policy header)
                               /delay/MS  the reply after MS milliseconds
                               anything else: a plain 200 (sent only once the
                               whole request head has come, so a truncated
                               request gets nothing)
  servers.py https ADDR PORT CERT KEY
                               the same replies over TLS
  servers.py wait tcp|udp ADDR PORT SECONDS
                               exit 0 once something listens there (tcp: a
                               connect succeeds; udp: a datagram is answered),
                               1 after SECONDS
"""
import socket
import ssl
import struct
import sys
import threading
import time


def listener(kind, addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    if kind == "tcp":
        s.listen(64)
    return s


def serve_tcp(addr, port):
    s = listener("tcp", addr, port)
    while True:
        c, _ = s.accept()
        c.close()


def serve_udp(addr, port):
    s = listener("udp", addr, port)
    while True:
        data, peer = s.recvfrom(2048)
        s.sendto(data, peer)


def serve_smtp(addr, port):
    s = listener("tcp", addr, port)
    while True:
        c, _ = s.accept()
        c.settimeout(5)
        try:
            c.sendall(b"220 backend ESMTP checkers test\r\n")
            buf = b""
            while True:
                chunk = c.recv(1024)
                if not chunk:
                    break
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    cmd = line.strip().upper()
                    if cmd.startswith(b"HELO") or cmd.startswith(b"EHLO"):
                        c.sendall(b"250 backend\r\n")
                    elif cmd.startswith(b"QUIT"):
                        c.sendall(b"221 bye\r\n")
                        raise EOFError
                    else:
                        c.sendall(b"502 not here\r\n")
        except (OSError, EOFError):
            pass
        c.close()


def serve_dns(addr, port):
    s = listener("udp", addr, port)
    while True:
        q, peer = s.recvfrom(2048)
        if len(q) < 12:
            continue
        qid, flags = struct.unpack("!HH", q[:4])
        # the question: labels up to the root, then type and class
        i = 12
        while i < len(q) and q[i] != 0:
            i += 1 + q[i]
        question = q[12:i + 5]
        qtype = struct.unpack("!H", q[i + 1:i + 3])[0] if i + 3 <= len(q) else 0
        answer = b""
        if question[:1] == b"\x00" and qtype == 6:
            # ". SOA . . 1 1800 900 604800 86400", name by pointer to the question
            rdata = b"\x00\x00" + struct.pack("!IIIII", 1, 1800, 900, 604800, 86400)
            answer = b"\xc0\x0c" + struct.pack("!HHIH", 6, 1, 60, len(rdata)) + rdata
        rflags = 0x8000 | 0x0400 | (flags & 0x0100) | 0x0080   # QR AA RD RA, NOERROR
        hdr = struct.pack("!HHHHHH", qid, rflags, 1, 1 if answer else 0, 0, 0)
        s.sendto(hdr + question + answer, peer)


def http_reply(path):
    body = b"hello"
    if path == "/continue":
        return (b"HTTP/1.1 100 Continue\r\n\r\n"
                b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" + body)
    if path == "/lf":
        return b"HTTP/1.0 200 OK\nContent-Length: 5\nX-A: b\n\n" + body
    if path == "/short":
        return b"HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\n" + body
    if path.startswith("/bighead/"):
        csp = b"c" * (int(path[9:]) * 1024)
        return (b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\nContent-Security-Policy: " + csp +
                b"\r\n\r\n" + body)
    if path.startswith("/delay/"):
        time.sleep(int(path[7:]) / 1000.0)
    return b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n" + body


def http_conn(c):
    try:
        c.settimeout(30)
        req = b""
        while b"\r\n\r\n" not in req and len(req) < 1 << 20:
            data = c.recv(65536)
            if not data:
                return
            req += data
        if b"\r\n\r\n" not in req:
            return
        path = req.split(b" ", 2)[1].decode("latin-1").split("?")[0]
        c.sendall(http_reply(path))
        if isinstance(c, ssl.SSLSocket):
            c.unwrap()          # close_notify: a clean end, short body or not
    except (OSError, IndexError, ValueError, ssl.SSLError):
        pass
    finally:
        c.close()


def serve_http(addr, port):
    s = listener("tcp", addr, port)
    while True:
        c, _ = s.accept()
        threading.Thread(target=http_conn, args=(c,), daemon=True).start()


def serve_https(addr, port, cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    s = listener("tcp", addr, port)

    def handshake(c):
        try:
            c.settimeout(10)
            http_conn(ctx.wrap_socket(c, server_side=True))
        except (OSError, ssl.SSLError):
            c.close()
    while True:
        c, _ = s.accept()
        threading.Thread(target=handshake, args=(c,), daemon=True).start()


def wait(kind, addr, port, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if kind == "tcp":
                socket.create_connection((addr, port), 1).close()
                return 0
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            u.settimeout(0.5)
            u.connect((addr, port))
            # a DNS-shaped query: the DNS responder answers it, an echo echoes it
            u.send(struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + b"\x00\x00\x06\x00\x01")
            u.recv(2048)
            u.close()
            return 0
        except OSError:
            time.sleep(0.1)
    return 1


def main():
    mode = sys.argv[1]
    if mode == "wait":
        sys.exit(wait(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])))
    addr, port = sys.argv[2], int(sys.argv[3])
    if mode == "https":
        serve_https(addr, port, sys.argv[4], sys.argv[5])
        return
    {"tcp": serve_tcp, "udp": serve_udp, "smtp": serve_smtp, "dns": serve_dns,
     "http": serve_http}[mode](addr, port)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
