#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# A CT service stand-in for the tests: HTTPS on 127.0.0.1 with a throwaway
# certificate, answering in Cert Spotter or crt.sh format, one behaviour per
# path prefix (/CASE/v1/issuances..., /CASE/?dNSName=...). It writes the port
# it bound to PORTFILE and serves until killed.
#   ct_server.py CERT KEY PORTFILE DEMO.json
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

cert, key, portfile, demo_file = sys.argv[1:5]
with open(demo_file) as f:
    DEMO = json.load(f)
hits = {}
lock = threading.Lock()


def hit(case):
    with lock:
        hits[case] = hits.get(case, 0) + 1
        return hits[case]


def cs_row(i, names, issuer, caa):
    return {"id": str(i), "tbs_sha256": "%064x" % i, "dns_names": names,
            "issuer": {"friendly_name": issuer, "name": "O=" + issuer, "caa_domains": caa},
            "not_before": "2026-10-01T00:00:00Z", "not_after": "2035-01-01T00:00:00Z"}


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, code, body, ctype="application/json", extra=()):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def pages(self, q):
        """The demo answer in two pages, then an empty page (after=)."""
        after = q.get("after", [None])[0]
        half = len(DEMO) // 2
        if after is None:
            return DEMO[:half]
        if after == DEMO[half - 1]["id"]:
            return DEMO[half:]
        return []

    def do_GET(self):
        u = urlsplit(self.path)
        case = u.path.strip("/").split("/")[0]
        q = parse_qs(u.query)
        n = hit(case)
        with lock:
            hits["ua:" + self.headers.get("User-Agent", "")] = 1
            hits["auth:" + self.headers.get("Authorization", "")] = 1
        if case == "ok":
            return self.send(200, json.dumps(self.pages(q)))
        if case == "retry-after" or case == "retry-plain":
            if n == 1:
                extra = [("Retry-After", "1")] if case == "retry-after" else []
                return self.send(429, '{"code":"rate_limited"}', extra=extra)
            return self.send(200, json.dumps(self.pages(q)))
        if case == "down":
            return self.send(503, "busy", "text/plain")
        if case == "html":
            return self.send(200, "<html><body>crt.sh is down</body></html>", "text/html")
        if case == "truncated":
            return self.send(200, json.dumps(DEMO)[:300])
        if case == "capped":
            rows = [{"id": i, "issuer_name": "C=US, O=Let's Encrypt, CN=R3",
                     "name_value": "h%d.example.com" % i, "not_before": "2026-10-01T00:00:00",
                     "not_after": "2035-01-01T00:00:00"} for i in range(10000)]
            return self.send(200, json.dumps(rows))
        if case == "big":
            return self.send(200, "[" + " " * (33 << 20) + "]")
        if case == "slow":
            time.sleep(4)
            return self.send(200, "[]")
        if case == "to-http":
            return self.send(302, "", "text/plain", [("Location", "http://127.0.0.1:%d/ok/v1/issuances" % PORT)])
        if case == "to-file":
            return self.send(302, "", "text/plain", [("Location", "file:///etc/passwd")])
        if case == "hostile":
            rows = [] if "after" in q else [
                cs_row(1, ["evil\x01\x1b[31m.example.com", "a|b.example.com", "<script>.example.com",
                           "x" * 100000 + ".example.com", "www.example.com"],
                       "Evil\x1b[2J|<script>alert(1)</script> CA", None),
                cs_row(2, ["api.example.com"], "Bad|CA\nline", ["evil.example"]),
            ]
            return self.send(200, json.dumps(rows))
        if case.startswith("dir-"):
            d = {"newNonce": "https://127.0.0.1/nonce", "newAccount": "https://127.0.0.1/acct",
                 "meta": {"termsOfService": "https://127.0.0.1/tos"}}
            m = d["meta"]
            if case == "dir-le":  # Let's Encrypt-like: a random top-level key
                m["caaIdentities"] = ["letsencrypt.org"]
                m["profiles"] = {"classic": "x", "tlsserver": "y"}
                d["kT3xQ9vLw2"] = "https://community.letsencrypt.org/t/adding-random-entries"
            elif case == "dir-pebble":  # Pebble-like: profiles, no caaIdentities
                m["externalAccountRequired"] = False
                m["profiles"] = {"default": "x", "shortlived": "y"}
            elif case == "dir-02":  # draft -02
                m["caaIdentities"] = ["letsencrypt.org"]
                m["issuerDomainNames"] = ["letsencrypt.org", "le.example"]
                m["accountHashPrefix"] = "https://acme.example/acct-hash/"
            elif case == "dir-wrong":
                m["caaIdentities"] = ["other-ca.example"]
                m["issuerDomainNames"] = ["other-ca.example"]
            return self.send(200, json.dumps(d))
        if case == "stats":
            return self.send(200, json.dumps(hits))
        return self.send(404, "no such case", "text/plain")


srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
PORT = srv.server_address[1]
with open(portfile + ".tmp", "w") as f:
    f.write(str(PORT))
import os
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
