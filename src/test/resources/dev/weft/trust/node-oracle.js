// The Node oracle of dev.weft.trust.NodeOracle: one long-lived node process, driven by JSON lines on stdin, one
// JSON line on stdout per request ({"id": n, "ok": true, "result": ...} or {"id": n, "ok": false, "error": "..."}).
// Works on Node 20 and 24. Everything listens on and connects to 127.0.0.1 only; every handshake has a timeout.
//
// A case is {name, key, cert, ca: [pem], crl: [pem], partial}: key and cert (the chain, leaf first, exactly as it
// is sent) are the presenting side's; ca, crl and partial (allowPartialTrustChain) are the verifying side's.
// The presenting side lowers its own security level (ciphers DEFAULT@SECLEVEL=0) so that it can present weak or
// odd chains; the verifying side keeps Node's defaults.
'use strict';

const tls = require('tls');
const readline = require('readline');

const HANDSHAKE_TIMEOUT_MS = 5000;
const PRESENTER_CIPHERS = 'DEFAULT@SECLEVEL=0';
const HOST = '127.0.0.1';
const noIdentityCheck = () => undefined;

let identity = null; // {key, cert}: the oracle's own server certificate, for CLIENT_CHAIN
const served = new Set();

function describe(e) {
  if (!e) return null;
  const message = String(e.message || e).split('\n')[0];
  return (e.code ? e.code + ' ' : '') + message;
}

function handshakeFailure(errors) {
  const parts = [];
  if (errors.verifier) parts.push('verifier: ' + describe(errors.verifier));
  if (errors.presenter) parts.push('presenter: ' + describe(errors.presenter));
  if (errors.timeout) parts.push('timeout after ' + HANDSHAKE_TIMEOUT_MS + ' ms');
  if (parts.length === 0) parts.push('connection closed before the handshake completed');
  return { authorized: false, code: null, message: null, handshakeError: parts.join('; ') };
}

// What a verifying socket decided: socket.authorized, socket.authorizationError (Node's code) and the message of
// the Error that socket._handle.verifyError() returns.
function verdictOf(socket) {
  const handle = socket._handle;
  const verifyError = handle && typeof handle.verifyError === 'function' ? handle.verifyError() : undefined;
  return {
    authorized: socket.authorized === true,
    code: socket.authorizationError === undefined ? null : socket.authorizationError,
    message: verifyError ? verifyError.message : null,
    handshakeError: null,
    verifyErrorCode: verifyError ? (verifyError.code === undefined ? null : verifyError.code) : null,
    hasVerifyError: !!(handle && typeof handle.verifyError === 'function'),
  };
}

function verifierOptions(c) {
  const o = {};
  if (c.ca && c.ca.length) o.ca = c.ca;
  if (c.crl && c.crl.length) o.crl = c.crl;
  if (c.partial) o.allowPartialTrustChain = true;
  return o;
}

// One handshake: `makeServer(done, errors)` returns a server, `connect(port, done, errors)` a client socket; the first
// verdict or failure wins, then both ends are torn down.
function handshake(makeServer, connect) {
  return new Promise((resolve) => {
    const errors = {};
    const sockets = new Set();
    let server;
    let client;
    let finished = false;
    let timer;
    const done = (verdict) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      for (const s of sockets) s.destroy();
      if (client) client.destroy();
      if (server) server.close();
      resolve(verdict);
    };
    const failSoon = () => setTimeout(() => done(handshakeFailure(errors)), 100); // let the other side's error arrive
    timer = setTimeout(() => { errors.timeout = true; done(handshakeFailure(errors)); }, HANDSHAKE_TIMEOUT_MS);
    try {
      server = makeServer(done, errors, failSoon);
    } catch (e) {
      errors.verifier = errors.verifier || e;
      done(handshakeFailure(errors));
      return;
    }
    server.on('connection', (s) => { sockets.add(s); s.on('error', () => {}); });
    server.on('error', (e) => { errors.server = e; failSoon(); });
    server.listen(0, HOST, () => {
      try {
        client = connect(server.address().port, done, errors, failSoon);
      } catch (e) {
        errors.client = e;
        done(handshakeFailure(errors));
      }
    });
  });
}

// SERVER_CHAIN: a server presents the chain, a client verifies it.
function judgeServerChain(c) {
  return handshake((done, errors, failSoon) => {
    let server;
    try {
      server = tls.createServer({ key: c.key, cert: c.cert, ciphers: PRESENTER_CIPHERS }, (s) => s.on('error', () => {}));
    } catch (e) {
      errors.presenter = e;
      throw e;
    }
    server.on('tlsClientError', (e) => { errors.presenter = e; failSoon(); });
    return server;
  }, (port, done, errors, failSoon) => {
    let client;
    try {
      client = tls.connect({ host: HOST, port, rejectUnauthorized: false, checkServerIdentity: noIdentityCheck,
        ...verifierOptions(c) });
    } catch (e) {
      errors.verifier = e;
      throw e;
    }
    client.on('secureConnect', () => done(verdictOf(client)));
    client.on('error', (e) => { errors.verifier = e; failSoon(); });
    client.on('close', failSoon);
    return client;
  });
}

// CLIENT_CHAIN: a client presents the chain as its certificate, a server verifies it.
//
// tls.createServer does not pass allowPartialTrustChain on to the secure context it makes (Server's
// setSecureContext copies a fixed list of options, without it, on Node 20 and 24), so a server given
// allowPartialTrustChain: true in its options verifies as if it were false. Unless partialVia is 'serverOptions', the
// server's context is replaced by one tls.createSecureContext makes from the same options, which does honour it.
function judgeClientChain(c, partialVia) {
  return handshake((done, errors, failSoon) => {
    let server;
    const options = { key: identity.key, cert: identity.cert, ...verifierOptions(c) };
    try {
      server = tls.createServer({ ...options, requestCert: true, rejectUnauthorized: false },
        (s) => { s.on('error', () => {}); done(verdictOf(s)); });
      if (c.partial && partialVia !== 'serverOptions') {
        if (!server._sharedCreds) throw new Error('this tls.Server has no _sharedCreds to give allowPartialTrustChain');
        server._sharedCreds = tls.createSecureContext(options);
      }
    } catch (e) {
      errors.verifier = e;
      throw e;
    }
    server.on('tlsClientError', (e) => { errors.verifier = e; failSoon(); });
    return server;
  }, (port, done, errors, failSoon) => {
    let client;
    try {
      client = tls.connect({ host: HOST, port, key: c.key, cert: c.cert, ciphers: PRESENTER_CIPHERS,
        rejectUnauthorized: false, checkServerIdentity: noIdentityCheck });
    } catch (e) {
      errors.presenter = e;
      throw e;
    }
    client.on('error', (e) => { errors.presenter = e; failSoon(); });
    client.on('close', failSoon);
    return client;
  });
}

async function judge(req) {
  const results = {};
  for (const c of req.cases) {
    results[c.name] = req.direction === 'CLIENT_CHAIN' ? await judgeClientChain(c, req.partialVia)
      : await judgeServerChain(c);
  }
  return results;
}

// A server presenting the chain until the oracle ends; it echoes what it reads.
function serve(req) {
  return new Promise((resolve, reject) => {
    const c = req.case;
    const server = tls.createServer({ key: c.key, cert: c.cert, ciphers: PRESENTER_CIPHERS }, (s) => {
      s.on('error', () => {});
      s.pipe(s);
    });
    server.on('tlsClientError', () => {});
    server.on('connection', (s) => s.on('error', () => {}));
    server.on('error', reject);
    served.add(server);
    server.listen(0, HOST, () => resolve({ port: server.address().port }));
  });
}

// A client presenting the chain as its certificate to 127.0.0.1:port; resolves once the connection has ended.
function present(req) {
  return new Promise((resolve) => {
    const c = req.case;
    let handshakeDone = false;
    let error = null;
    let finished = false;
    let client;
    const finish = (timedOut) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (client) client.destroy();
      resolve({ handshake: handshakeDone, error: describe(error), timedOut });
    };
    const timer = setTimeout(() => finish(true), req.timeoutMs || HANDSHAKE_TIMEOUT_MS);
    try {
      client = tls.connect({ host: HOST, port: req.port, key: c.key, cert: c.cert, ciphers: PRESENTER_CIPHERS,
        rejectUnauthorized: false, checkServerIdentity: noIdentityCheck });
    } catch (e) {
      error = e;
      finish(false);
      return;
    }
    client.on('secureConnect', () => { handshakeDone = true; client.end(); });
    client.on('data', () => {});
    client.on('error', (e) => { error = e; });
    client.on('close', () => finish(false));
  });
}

const ops = {
  init: (req) => { identity = { key: req.key, cert: req.cert }; return { version: process.version, openssl: process.versions.openssl }; },
  judge,
  serve,
  present,
};

function reply(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  if (!line.trim()) return;
  let req;
  try {
    req = JSON.parse(line);
  } catch (e) {
    reply({ id: null, ok: false, error: 'bad request: ' + e.message });
    return;
  }
  try {
    const op = ops[req.op];
    if (!op) throw new Error('unknown op ' + req.op);
    reply({ id: req.id, ok: true, result: await op(req) });
  } catch (e) {
    reply({ id: req.id, ok: false, error: describe(e) });
  }
}).on('close', () => process.exit(0));
