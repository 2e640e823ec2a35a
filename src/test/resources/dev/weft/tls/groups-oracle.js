// Node 24 as the oracle for ecdhCurve, sigalgs, getEphemeralKeyInfo and getSharedSigalgs.
// node groups-oracle.js MODE cases.json, with cert.pem/key.pem/ca.pem in the working directory.
//   valid:   cases [{ecdhCurve?|sigalgs?}]: prints "VALID i ok" or "VALID i ERR code"
//   pairs:   cases [{server, client}]: a Node server and a Node client per case: "PAIR i eph shared"
//   servers: cases [{server}]: a Node server per case: "PORT i p", then "SHARED i json" / "SERR i code"
//   clients: cases [{port, client}]: a Node client per case: "CLIENT i eph"
const tls = require('tls'), fs = require('fs');
const [mode, file] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(file, 'utf8'));
const key = fs.readFileSync('key.pem'), cert = fs.readFileSync('cert.pem'), ca = fs.readFileSync('ca.pem');
const eph = i => i ? `${i.type}/${i.name ?? '-'}/${i.size ?? '-'}` : 'none';
function connect(port, opts) {
  return new Promise(resolve => {
    let r = null, text = '';
    const s = tls.connect(Object.assign({port, host: '127.0.0.1', servername: 'localhost', ca}, opts), () => {
      r = eph(s.getEphemeralKeyInfo()) + ' ' + JSON.stringify(s.getSharedSigalgs());
    });
    s.on('data', d => { text += d; if (text.includes('\n')) s.end(); });
    s.on('close', () => resolve(r === null ? 'ERR' : r + ' ' + (text.trim() || '-')));
    s.on('error', () => {});
  });
}
function serve(opts, onShared, onError) {
  const srv = tls.createServer(Object.assign({key, cert}, opts), c => {
    onShared(JSON.stringify(c.getSharedSigalgs())); c.end('-\n');
  });
  srv.on('tlsClientError', e => onError(e.code));
  return new Promise(r => srv.listen(0, '127.0.0.1', () => r(srv)));
}
(async () => {
  if (mode === 'valid') {
    cases.forEach((o, i) => {
      try { tls.createSecureContext(o); console.log(`VALID ${i} ok`); }
      catch (e) { console.log(`VALID ${i} ERR ${e.code ?? 'none'}`); }
    });
  } else if (mode === 'pairs') {
    for (const [i, c] of cases.entries()) {
      let shared = 'ERR';
      const srv = await serve(c.server, s => { shared = s; }, () => {});
      const r = await connect(srv.address().port, c.client);
      await new Promise(r => setTimeout(r, 20));
      console.log(`PAIR ${i} ${r === 'ERR' ? 'ERR' : r.split(' ')[0]} ${r === 'ERR' ? 'ERR' : shared} ${r === 'ERR' ? 'ERR' : r.split(' ')[1]}`);
      srv.close();
    }
  } else if (mode === 'servers') {
    for (const [i, c] of cases.entries()) {
      const srv = await serve(c.server, s => console.log(`SHARED ${i} ${s}`), code => console.log(`SERR ${i} ${code}`));
      console.log(`PORT ${i} ${srv.address().port}`);
    }
    console.log('READY');
    process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
  } else if (mode === 'clients') {
    for (const [i, c] of cases.entries()) {
      const r = await connect(c.port, c.client);
      console.log(`CLIENT ${i} ${r}`);
    }
  }
})();
