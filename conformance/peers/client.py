"""A Python ssl client for weft's conformance matrix.

usage: python3 client.py PORT CA VERSION MODE [N] [CERT KEY]
Same modes and output as client.js.
"""
import hashlib
import socket
import ssl
import sys

port, ca, version, mode = sys.argv[1:5]
n = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5] != "-" else 0
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(ca)
ctx.check_hostname = False  # weft's server certificate names 127.0.0.1; identity is not under test here
versions = {"TLSv1.1": ssl.TLSVersion.TLSv1_1, "TLSv1.2": ssl.TLSVersion.TLSv1_2, "TLSv1.3": ssl.TLSVersion.TLSv1_3}
if version != "any":
    if version == "TLSv1.1":
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    ctx.minimum_version = versions[version]
    ctx.maximum_version = versions[version]
if len(sys.argv) > 7:
    ctx.load_cert_chain(sys.argv[6], sys.argv[7])
try:
    raw = socket.create_connection(("127.0.0.1", int(port)), timeout=60)
    s = ctx.wrap_socket(raw)
except (ssl.SSLError, OSError) as e:
    print("ERROR", getattr(e, "reason", None) or type(e).__name__, e)
    sys.exit(1)
print("authorized True -", s.version())
f = s.makefile("rb")
if mode == "echo":
    s.sendall(b"hello\n")
elif mode == "download":
    s.sendall(b"download %d\n" % n)
elif mode == "upload":
    s.sendall(b"upload %d\n" % n)
print(f.readline().decode().strip())  # the server's verdict line
if mode == "echo":
    print("echo", f.readline().decode().strip())
elif mode == "download":
    h = hashlib.sha256()
    while True:
        b = f.read(65536)
        if not b:
            break
        h.update(b)
    print("sha256", h.hexdigest())
elif mode == "upload":
    pattern = bytes(i % 251 for i in range(251 * 261))  # 65511 bytes, a whole number of periods
    sent = 0
    while sent < n:
        chunk = pattern[: min(len(pattern), n - sent)]
        s.sendall(chunk)
        sent += len(chunk)
    print(f.readline().decode().strip())
try:
    s.unwrap()  # close_notify, and wait for the server's
except (ssl.SSLError, OSError):
    pass
s.close()
