// A node tls client for weft's conformance matrix.
// usage: node client.js PORT CA VERSION MODE [N] [CERT KEY]
//   MODE echo: send "hello\n", print what comes back until the echo arrives, then end.
//   MODE download N: ask for N bytes, print "sha256 <hex>" of what arrived.
//   MODE upload N: send N bytes, print the server's digest line.
// Prints "verdict ..." (the server's first line) and "authorized <bool> <code>"; on error "ERROR <code> <message>".
'use strict';
const tls = require('tls');
const fs = require('fs');
const crypto = require('crypto');
const [port, ca, version, mode, n, cert, key] = process.argv.slice(2);
const options = { host: '127.0.0.1', port: Number(port), ca: fs.readFileSync(ca), rejectUnauthorized: false };
if (version !== 'any') {
  options.minVersion = version;
  options.maxVersion = version;
  if (version === 'TLSv1.1') options.ciphers = 'DEFAULT:@SECLEVEL=0';
}
if (cert) { options.cert = fs.readFileSync(cert); options.key = fs.readFileSync(key); }
const s = tls.connect(options, () => {
  console.log(`authorized ${s.authorized} ${s.authorizationError || '-'} ${s.getProtocol()}`);
  if (mode === 'echo') s.write('hello\n');
  if (mode === 'download') s.write(`download ${n}\n`);
  if (mode === 'upload') {
    s.write(`upload ${n}\n`);
    writeBytes(s, Number(n));
  }
});
let head = Buffer.alloc(0);
let headDone = false;
const hash = crypto.createHash('sha256');
let body = '';
s.on('data', (d) => {
  if (!headDone) {
    head = Buffer.concat([head, d]);
    const nl = head.indexOf(10);
    if (nl < 0) return;
    console.log(head.subarray(0, nl).toString());
    headDone = true;
    d = head.subarray(nl + 1);
  }
  if (mode === 'download') { hash.update(d); return; }
  body += d.toString();
  if (mode === 'echo' && body.includes('hello\n')) { console.log('echo ' + body.trim()); s.end(); }
  if (mode === 'upload' && body.includes('\n')) { console.log(body.trim()); s.end(); }
});
s.on('end', () => { if (mode === 'download') console.log('sha256 ' + hash.digest('hex')); });
s.on('error', (e) => { console.log(`ERROR ${e.code} ${e.message}`); process.exitCode = 1; });

function writeBytes(sock, total) {
  const chunk = Buffer.alloc(65536);
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      const len = Math.min(chunk.length, total - sent);
      for (let i = 0; i < len; i++) chunk[i] = (sent + i) % 251;
      sent += len;
      if (!sock.write(len === chunk.length ? chunk : chunk.subarray(0, len))) { sock.once('drain', pump); return; }
    }
  };
  pump();
}
