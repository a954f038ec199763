// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// The INTEROP.md JSON-lines peer around @signalapp/libsignal-client (the
// Rust libsignal through its Node bindings), the v4 anchor of the interop
// tests: PQXDH with a Kyber1024 prekey, SPQR and the address binding, as
// current Signal clients speak them.
//
// Usage: node peer.mjs [--profile v4]
//
// It reads one JSON request per line on stdin and writes exactly one JSON
// line per request on stdout, in order; logs go to stderr. Every failure,
// including a malformed line, is answered with {"error": "..."} (with the
// request's "id" when it has one) and the peer keeps running.
//
// Requests (INTEROP.md, plus two extensions):
//   {"op":"init","name":"alice","reg_id":N?}   -> the bundle
//   {"op":"bundle"}                            -> the current bundle
//   {"op":"process_bundle","peer":"bob","bundle":{...}} -> {"ok":true}
//   {"op":"encrypt","peer":"bob","plaintext":b64} -> {"type":2|3,"body":b64}
//   {"op":"decrypt","peer":"alice","type":2|3,"body":b64} -> {"plaintext":b64}
//   {"op":"kem_keypair"} -> {"kem_type":8,"pub":b64,"secret":b64}: a fresh
//       KEM key pair in libsignal's serialized forms (type byte ‖ key), for
//       format cross-checks. It is not part of the account.
//
// Stores are in memory (Maps); there is no --store. Every peer name maps to
// the address (name, 1). Identities are trusted on first use. The Kyber
// prekey is a last-resort key (kept after use); the one-time EC prekey is
// removed when used, and "bundle" then offers a fresh one.

import * as readline from 'node:readline';
import * as crypto from 'node:crypto';
import * as SignalClient from '@signalapp/libsignal-client';

const {
  CiphertextMessageType,
  Direction,
  IdentityChange,
  IdentityKeyPair,
  IdentityKeyStore,
  KEMKeyPair,
  KEMPublicKey,
  KyberPreKeyRecord,
  KyberPreKeyStore,
  PreKeyBundle,
  PreKeyRecord,
  PreKeySignalMessage,
  PreKeyStore,
  PrivateKey,
  ProtocolAddress,
  PublicKey,
  SessionRecord,
  SessionStore,
  SignalMessage,
  SignedPreKeyRecord,
  SignedPreKeyStore,
} = SignalClient;

const DEVICE_ID = 1;
const MAX_REG_ID = 16380;

function log(...args) {
  process.stderr.write(`node-peer: ${args.join(' ')}\n`);
}

// ---- command line ----

{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--profile' && argv[i + 1] !== undefined) {
      if (argv[i + 1] !== 'v4') {
        log(`profile ${argv[i + 1]} is not supported: libsignal 0.103 speaks only v4`);
        process.exit(2);
      }
      i++;
    } else if (argv[i] === '--profile=v4') {
      // accepted
    } else {
      log(`unsupported argument ${argv[i]} (usage: peer.mjs [--profile v4])`);
      process.exit(2);
    }
  }
}

try {
  SignalClient.initLogger(SignalClient.LogLevel.Warn, (level, target, file, line, message) => {
    log(`libsignal[${level}] ${target}: ${message}`);
  });
} catch (e) {
  log(`initLogger: ${e.message}`);
}

// ---- request validation ----

class RequestError extends Error {}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// b64 decodes standard base64 with padding, strictly.
function b64(value, field) {
  if (typeof value !== 'string' || !B64.test(value)) {
    throw new RequestError(`${field} must be standard base64 with padding`);
  }
  return new Uint8Array(Buffer.from(value, 'base64'));
}

function enc(bytes) {
  return Buffer.from(bytes).toString('base64');
}

function str(value, field) {
  if (typeof value !== 'string' || value === '') {
    throw new RequestError(`${field} must be a non-empty string`);
  }
  return value;
}

function uint(value, field, max = 0xffffffff) {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RequestError(`${field} must be an integer in 0..${max}`);
  }
  return value;
}

function obj(value, field) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RequestError(`${field} must be an object`);
  }
  return value;
}

// ---- in-memory stores ----

// Records are kept serialized, as a persistent store would keep them, so
// that no native object is shared between libsignal calls.

class MemSessionStore extends SessionStore {
  constructor() {
    super();
    this.sessions = new Map();
  }
  async saveSession(address, record) {
    this.sessions.set(address.toString(), record.serialize());
  }
  async getSession(address) {
    const b = this.sessions.get(address.toString());
    return b === undefined ? null : SessionRecord.deserialize(b);
  }
  async getExistingSessions(addresses) {
    return addresses.map((a) => {
      const b = this.sessions.get(a.toString());
      if (b === undefined) throw new Error(`no session for ${a.toString()}`);
      return SessionRecord.deserialize(b);
    });
  }
}

class MemIdentityStore extends IdentityKeyStore {
  constructor(identity, regId) {
    super();
    this.identity = identity;
    this.regId = regId;
    this.known = new Map(); // address -> serialized PublicKey
  }
  async getIdentityKey() {
    return this.identity.privateKey;
  }
  async getLocalRegistrationId() {
    return this.regId;
  }
  async saveIdentity(address, key) {
    const k = address.toString();
    const old = this.known.get(k);
    const ser = key.serialize();
    this.known.set(k, ser);
    return old !== undefined && !Buffer.from(old).equals(Buffer.from(ser))
      ? IdentityChange.ReplacedExisting
      : IdentityChange.NewOrUnchanged;
  }
  async isTrustedIdentity(address, key, _direction) {
    const old = this.known.get(address.toString());
    return old === undefined || Buffer.from(old).equals(Buffer.from(key.serialize()));
  }
  async getIdentity(address) {
    const old = this.known.get(address.toString());
    return old === undefined ? null : PublicKey.deserialize(old);
  }
}

class MemPreKeyStore extends PreKeyStore {
  constructor() {
    super();
    this.keys = new Map();
  }
  async savePreKey(id, record) {
    this.keys.set(id, record.serialize());
  }
  async getPreKey(id) {
    const b = this.keys.get(id);
    if (b === undefined) throw new Error(`no prekey ${id}`);
    return PreKeyRecord.deserialize(b);
  }
  async removePreKey(id) {
    this.keys.delete(id);
  }
}

class MemSignedPreKeyStore extends SignedPreKeyStore {
  constructor() {
    super();
    this.keys = new Map();
  }
  async saveSignedPreKey(id, record) {
    this.keys.set(id, record.serialize());
  }
  async getSignedPreKey(id) {
    const b = this.keys.get(id);
    if (b === undefined) throw new Error(`no signed prekey ${id}`);
    return SignedPreKeyRecord.deserialize(b);
  }
}

class MemKyberPreKeyStore extends KyberPreKeyStore {
  constructor() {
    super();
    this.keys = new Map();
  }
  async saveKyberPreKey(id, record) {
    this.keys.set(id, record.serialize());
  }
  async getKyberPreKey(id) {
    const b = this.keys.get(id);
    if (b === undefined) throw new Error(`no kyber prekey ${id}`);
    return KyberPreKeyRecord.deserialize(b);
  }
  async markKyberPreKeyUsed(_id, _signedPreKeyId, _baseKey) {
    // A last-resort key: kept after use.
  }
}

// ---- the account ----

let account = null;

function randomId() {
  return crypto.randomInt(1, 0xffffff);
}

function newPreKey(a) {
  const id = a.nextPreKeyId++;
  const priv = PrivateKey.generate();
  a.preKeys.keys.set(id, PreKeyRecord.new(id, priv.getPublicKey(), priv).serialize());
  a.currentPreKeyId = id;
}

async function init(req) {
  const name = str(req.name, 'name');
  let regId;
  if (req.reg_id === undefined || req.reg_id === null) {
    regId = crypto.randomInt(1, MAX_REG_ID + 1);
  } else {
    regId = uint(req.reg_id, 'reg_id', MAX_REG_ID);
    if (regId === 0) throw new RequestError('reg_id must be in 1..16380');
  }
  const identity = IdentityKeyPair.generate();
  const a = {
    name,
    local: ProtocolAddress.new(name, DEVICE_ID),
    identity,
    regId,
    sessions: new MemSessionStore(),
    identities: new MemIdentityStore(identity, regId),
    preKeys: new MemPreKeyStore(),
    signedPreKeys: new MemSignedPreKeyStore(),
    kyberPreKeys: new MemKyberPreKeyStore(),
    nextPreKeyId: randomId(),
  };
  const now = Date.now();

  a.signedPreKeyId = randomId();
  const spk = PrivateKey.generate();
  const spkSig = identity.privateKey.sign(spk.getPublicKey().serialize());
  a.signedPreKeys.keys.set(
    a.signedPreKeyId,
    SignedPreKeyRecord.new(a.signedPreKeyId, now, spk.getPublicKey(), spk, spkSig).serialize(),
  );

  a.kyberPreKeyId = randomId();
  const kem = KEMKeyPair.generate();
  const kemSig = identity.privateKey.sign(kem.getPublicKey().serialize());
  a.kyberPreKeys.keys.set(a.kyberPreKeyId, KyberPreKeyRecord.new(a.kyberPreKeyId, now, kem, kemSig).serialize());

  newPreKey(a);
  account = a;
  log(`init ${name}: reg_id ${regId}`);
  return bundleOf(a);
}

function bundleOf(a) {
  if (!a.preKeys.keys.has(a.currentPreKeyId)) newPreKey(a); // the last one was used
  const spk = SignedPreKeyRecord.deserialize(a.signedPreKeys.keys.get(a.signedPreKeyId));
  const opk = PreKeyRecord.deserialize(a.preKeys.keys.get(a.currentPreKeyId));
  const kyber = KyberPreKeyRecord.deserialize(a.kyberPreKeys.keys.get(a.kyberPreKeyId));
  const kyberPub = kyber.publicKey().serialize();
  return {
    identity_pub: enc(a.identity.publicKey.serialize()),
    reg_id: a.regId,
    device_id: DEVICE_ID,
    signed_prekey: { id: spk.id(), pub: enc(spk.publicKey().serialize()), sig: enc(spk.signature()) },
    prekey: { id: opk.id(), pub: enc(opk.publicKey().serialize()) },
    kem_prekey: { id: kyber.id(), pub: enc(kyberPub), sig: enc(kyber.signature()), kem_type: kyberPub[0] },
  };
}

function need() {
  if (account === null) throw new RequestError('no account: send init first');
  return account;
}

function peerAddress(req) {
  return ProtocolAddress.new(str(req.peer, 'peer'), DEVICE_ID);
}

async function processBundle(req) {
  const a = need();
  const address = peerAddress(req);
  const j = obj(req.bundle, 'bundle');
  const spk = obj(j.signed_prekey, 'bundle.signed_prekey');
  if (j.kem_prekey === undefined || j.kem_prekey === null) {
    throw new RequestError('bundle has no kem_prekey: libsignal 0.103 requires a Kyber prekey (v4 only)');
  }
  const kem = obj(j.kem_prekey, 'bundle.kem_prekey');
  let preKeyId = null;
  let preKey = null;
  if (j.prekey !== undefined && j.prekey !== null) {
    const pk = obj(j.prekey, 'bundle.prekey');
    preKeyId = uint(pk.id, 'bundle.prekey.id');
    preKey = PublicKey.deserialize(b64(pk.pub, 'bundle.prekey.pub'));
  }
  const kemPub = b64(kem.pub, 'bundle.kem_prekey.pub');
  if (kem.kem_type !== undefined && kem.kem_type !== kemPub[0]) {
    throw new RequestError(`bundle.kem_prekey.kem_type ${kem.kem_type} differs from the key's type byte ${kemPub[0]}`);
  }
  const bundle = PreKeyBundle.new(
    uint(j.reg_id, 'bundle.reg_id'),
    uint(j.device_id, 'bundle.device_id'),
    preKeyId,
    preKey,
    uint(spk.id, 'bundle.signed_prekey.id'),
    PublicKey.deserialize(b64(spk.pub, 'bundle.signed_prekey.pub')),
    b64(spk.sig, 'bundle.signed_prekey.sig'),
    PublicKey.deserialize(b64(j.identity_pub, 'bundle.identity_pub')),
    uint(kem.id, 'bundle.kem_prekey.id'),
    KEMPublicKey.deserialize(kemPub),
    b64(kem.sig, 'bundle.kem_prekey.sig'),
  );
  await SignalClient.processPreKeyBundle(bundle, address, a.local, a.sessions, a.identities);
  return { ok: true };
}

async function encrypt(req) {
  const a = need();
  const address = peerAddress(req);
  const pt = b64(req.plaintext, 'plaintext');
  const m = await SignalClient.signalEncrypt(pt, address, a.local, a.sessions, a.identities);
  return { type: m.type(), body: enc(m.serialize()) };
}

async function decrypt(req) {
  const a = need();
  const address = peerAddress(req);
  const body = b64(req.body, 'body');
  let pt;
  switch (req.type) {
    case CiphertextMessageType.Whisper:
      pt = await SignalClient.signalDecrypt(SignalMessage.deserialize(body), address, a.local, a.sessions, a.identities);
      break;
    case CiphertextMessageType.PreKey:
      pt = await SignalClient.signalDecryptPreKey(
        PreKeySignalMessage.deserialize(body),
        address,
        a.local,
        a.sessions,
        a.identities,
        a.preKeys,
        a.signedPreKeys,
        a.kyberPreKeys,
      );
      break;
    default:
      throw new RequestError(`type must be 2 or 3, got ${JSON.stringify(req.type)}`);
  }
  return { plaintext: enc(pt) };
}

function kemKeyPair() {
  const kp = KEMKeyPair.generate();
  const pub = kp.getPublicKey().serialize();
  return { kem_type: pub[0], pub: enc(pub), secret: enc(kp.getSecretKey().serialize()) };
}

const ops = {
  init,
  bundle: async () => bundleOf(need()),
  process_bundle: processBundle,
  encrypt,
  decrypt,
  kem_keypair: async () => kemKeyPair(),
};

// ---- the loop ----

function errorText(e) {
  if (e instanceof RequestError) return e.message;
  const code = e && e.code !== undefined ? ` (code ${e.code})` : '';
  return `${(e && e.message) || String(e)}${code}`;
}

async function handle(line) {
  let req;
  let id;
  try {
    req = JSON.parse(line);
  } catch (e) {
    return { error: `malformed request: ${e.message}` };
  }
  if (req === null || typeof req !== 'object' || Array.isArray(req)) {
    return { error: 'malformed request: not a JSON object' };
  }
  if (Object.hasOwn(req, 'id')) id = req.id;
  const withId = (resp) => (id === undefined ? resp : { ...resp, id });
  try {
    const op = Object.hasOwn(ops, req.op) ? ops[req.op] : null;
    if (op === null) throw new RequestError(`unknown op ${JSON.stringify(req.op)}`);
    return withId(await op(req));
  } catch (e) {
    if (!(e instanceof RequestError)) log(`${req.op}: ${errorText(e)}`);
    return withId({ error: errorText(e) });
  }
}

process.on('uncaughtException', (e) => log(`uncaught exception: ${errorText(e)}`));
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${errorText(e)}`));

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
let queue = Promise.resolve();
rl.on('line', (line) => {
  queue = queue.then(async () => {
    if (line.trim() === '') return; // not a request
    let resp;
    try {
      resp = await handle(line);
    } catch (e) {
      resp = { error: errorText(e) };
    }
    process.stdout.write(`${JSON.stringify(resp)}\n`);
  });
});
rl.on('close', () => {
  queue.then(() => process.exit(0));
});
