// A node tls echo server for weft's conformance matrix.
// usage: node server.js CERT KEY VERSION [CA]   (with CA: requestCert, rejectUnauthorized)
// Prints "listening <port>", then for each connection "connected <authorized> <code>".
'use strict';
const tls = require('tls');
const fs = require('fs');
const [cert, key, version, ca] = process.argv.slice(2);
const options = { cert: fs.readFileSync(cert), key: fs.readFileSync(key) };
if (version !== 'any') {
  options.minVersion = version;
  options.maxVersion = version;
  if (version === 'TLSv1.1') options.ciphers = 'DEFAULT:@SECLEVEL=0';
}
if (ca) { options.ca = fs.readFileSync(ca); options.requestCert = true; options.rejectUnauthorized = true; }
const server = tls.createServer(options, (s) => {
  console.log(`connected ${s.authorized} ${s.authorizationError || '-'} ${s.getProtocol()}`);
  s.pipe(s);
  s.on('error', () => {});
});
server.on('tlsClientError', (e) => console.log(`clientError ${e.code}`));
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
