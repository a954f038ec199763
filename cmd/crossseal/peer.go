// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"time"

	"github.com/crossseal/crossseal/internal/kem"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/keystore/sqlitestore"
	"github.com/crossseal/crossseal/session"
	"github.com/crossseal/crossseal/x3dh"
)

// Session profiles (shared/INTEROP.md, --profile).
const (
	// profileV3 publishes X3DH bundles and starts v3 sessions; it ignores
	// a bundle's kem_prekey.
	profileV3 = "v3"
	// profileV4 publishes bundles with a Kyber1024 last-resort KEM prekey
	// and starts only v4 sessions (PQXDH + SPQR): it refuses a bundle
	// without a kem_prekey rather than downgrade to v3.
	profileV4 = "v4"
)

// maxRequestLine bounds one JSON request (a 64 KiB payload is ~88 KiB of
// base64; 4 MiB leaves ample room).
const maxRequestLine = 4 << 20

type peerRequest struct {
	Op        string      `json:"op"`
	Name      string      `json:"name"`
	RegID     *uint32     `json:"reg_id"`
	Peer      string      `json:"peer"`
	Bundle    *bundleJSON `json:"bundle"`
	Plaintext []byte      `json:"plaintext"`
	Type      int         `json:"type"`
	Body      []byte      `json:"body"`
}

type bundleJSON struct {
	IdentityPub  []byte `json:"identity_pub"`
	RegID        uint32 `json:"reg_id"`
	DeviceID     uint32 `json:"device_id"`
	SignedPreKey *struct {
		ID  uint32 `json:"id"`
		Pub []byte `json:"pub"`
		Sig []byte `json:"sig"`
	} `json:"signed_prekey"`
	PreKey *struct {
		ID  uint32 `json:"id"`
		Pub []byte `json:"pub"`
	} `json:"prekey,omitempty"`
	// KEMPreKey is decoded only in the v4 profile (see parseBundle), so
	// that the v3 profile ignores it whatever it holds.
	KEMPreKey json.RawMessage `json:"kem_prekey,omitempty"`
}

// kemPreKeyJSON is a bundle's kem_prekey: Pub is the type byte ‖ KEM
// public key, and KEMType repeats the type byte.
type kemPreKeyJSON struct {
	ID      uint32 `json:"id"`
	Pub     []byte `json:"pub"`
	Sig     []byte `json:"sig"`
	KEMType int    `json:"kem_type"`
}

type peer struct {
	profile   string
	storePath string // "" for memory
	db        *sqlitestore.Store
	m         *session.Manager
	bundle    *x3dh.Bundle
}

// bundleKey is where a peer with --store keeps the ids of the bundle it
// published, so that a restarted peer can answer "bundle" again.
const bundleKey = "crossseal-peer/bundle"

// storedBundle is the JSON record under bundleKey. KEMPreKeyID and Name
// came with the v4 profile; a record written before them loads as an
// account without a KEM prekey or an address binding.
type storedBundle struct {
	SignedPreKeyID uint32 `json:"spk"`
	PreKeyID       uint32 `json:"pk"`
	KEMPreKeyID    uint32 `json:"kem,omitempty"`  // 0: no KEM prekey
	Name           string `json:"name,omitempty"` // the init name
}

// runPeer is `crossseal peer [--profile v3|v4] [--store PATH]`, the JSON
// interop peer of shared/INTEROP.md. The v4 profile (the default) speaks
// PQXDH + SPQR as libsignal 0.103 does; v3 is X3DH and the Double Ratchet.
func runPeer(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("peer", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: crossseal peer [--profile v3|v4] [--store PATH]: the JSON-lines interop peer (shared/INTEROP.md)")
		flags.PrintDefaults()
	}
	profile := flags.String("profile", profileV4, "session profile: v4 (PQXDH + SPQR: bundles carry a Kyber1024 kem_prekey,\nand bundles without one are refused) or v3 (X3DH: kem_prekey is ignored)")
	storePath := flags.String("store", "", "persistent keystore path (default: in memory)")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *profile != profileV3 && *profile != profileV4 {
		fmt.Fprintf(stderr, "crossseal peer: profile %q is not supported (supported: v3, v4)\n", *profile)
		return 2
	}
	p := &peer{profile: *profile, storePath: *storePath}
	if p.storePath != "" {
		if err := p.resume(); err != nil {
			fmt.Fprintln(stderr, "crossseal peer:", err)
			return 1
		}
		defer p.db.Close()
	}
	in := bufio.NewScanner(stdin)
	in.Buffer(make([]byte, 0, 64<<10), maxRequestLine)
	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	for in.Scan() {
		line := in.Bytes()
		if len(line) == 0 {
			continue
		}
		var req peerRequest
		var resp map[string]any
		if err := json.Unmarshal(line, &req); err != nil {
			resp = map[string]any{"error": "malformed request: " + err.Error()}
		} else {
			resp = p.handle(&req)
		}
		// Echo the id even when the fields did not decode (a bad base64
		// body, say), as long as the line is a JSON object with an id.
		if id := requestID(line); id != nil {
			resp["id"] = id
		}
		if err := enc.Encode(resp); err != nil {
			fmt.Fprintln(stderr, "crossseal peer:", err)
			return 1
		}
		if err := out.Flush(); err != nil {
			return 1
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(stderr, "crossseal peer: reading stdin:", err)
		return 1
	}
	return 0
}

// requestID returns the raw "id" of a request line, or nil.
func requestID(line []byte) json.RawMessage {
	var envelope struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(line, &envelope) != nil {
		return nil
	}
	return envelope.ID
}

func (p *peer) handle(req *peerRequest) map[string]any {
	res, err := p.dispatch(req)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	return res
}

func (p *peer) dispatch(req *peerRequest) (map[string]any, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	switch req.Op {
	case "init":
		return p.init(ctx, req)
	case "bundle":
		if p.m == nil {
			return nil, errors.New("not initialized")
		}
		return p.currentBundle(ctx)
	}
	if p.m == nil {
		return nil, errors.New("not initialized: send init first")
	}
	addr := keystore.Address{Name: req.Peer, DeviceID: 1}
	switch req.Op {
	case "process_bundle":
		b, err := parseBundle(req.Bundle, p.profile == profileV4)
		if err != nil {
			return nil, err
		}
		if err := p.m.ProcessBundle(ctx, addr, b); err != nil {
			return nil, err
		}
		return map[string]any{"ok": true}, nil
	case "encrypt":
		c, err := p.m.Encrypt(ctx, addr, req.Plaintext)
		if err != nil {
			return nil, err
		}
		return map[string]any{"type": c.Type, "body": c.Body}, nil
	case "decrypt":
		var pt []byte
		err := p.m.Decrypt(ctx, addr, session.Ciphertext{Type: req.Type, Body: req.Body}, func(b []byte) error {
			pt = append([]byte{}, b...)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return map[string]any{"plaintext": pt}, nil
	default:
		return nil, fmt.Errorf("unknown op %q", req.Op)
	}
}

func (p *peer) init(ctx context.Context, req *peerRequest) (map[string]any, error) {
	var regID uint32
	if req.RegID != nil {
		regID = *req.RegID
	} else {
		regID = randomUint32(16380) + 1
	}
	store, err := p.freshStore()
	if err != nil {
		return nil, err
	}
	m := session.New(store)
	if err := m.CreateIdentity(ctx, regID); err != nil {
		return nil, err
	}
	spkID := randomUint32(1<<24) + 1
	if _, err := m.GenerateSignedPreKey(ctx, spkID, time.Now()); err != nil {
		return nil, err
	}
	pkID := randomUint32(1<<24) + 1
	if _, err := m.GeneratePreKeys(ctx, pkID, 1); err != nil {
		return nil, err
	}
	b, err := m.Bundle(ctx, 1, spkID, true, pkID)
	if err != nil {
		return nil, err
	}
	ids := storedBundle{SignedPreKeyID: spkID, PreKeyID: pkID, Name: req.Name}
	if p.profile == profileV4 {
		if ids.KEMPreKeyID, err = addKEMPreKey(ctx, m, b); err != nil {
			return nil, err
		}
	}
	if err := saveBundleIDs(ctx, store, ids); err != nil {
		return nil, err
	}
	m.SetLocalAddress(keystore.Address{Name: req.Name, DeviceID: 1})
	p.m, p.bundle = m, b
	return p.currentBundle(ctx)
}

// addKEMPreKey generates a Kyber1024 KEM prekey (the type libsignal
// accepts) and adds it to b, returning its id. It is a last-resort key, as
// the peer publishes a single bundle that any number of sessions may start
// from.
func addKEMPreKey(ctx context.Context, m *session.Manager, b *x3dh.Bundle) (uint32, error) {
	id := randomUint32(1<<24) + 1
	if _, err := m.GenerateKEMPreKey(ctx, id, session.Kyber1024, true, time.Now()); err != nil {
		return 0, err
	}
	return id, m.AddKEMPreKey(ctx, b, id)
}

// saveBundleIDs writes the record under bundleKey.
func saveBundleIDs(ctx context.Context, store keystore.Store, ids storedBundle) error {
	raw, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	return store.Update(ctx, func(tx keystore.Tx) error { return tx.SetValue(bundleKey, raw) })
}

// freshStore returns an empty store: memory, or the --store file emptied
// (init replaces all previous state).
func (p *peer) freshStore() (keystore.Store, error) {
	if p.storePath == "" {
		return keystore.NewMemory(), nil
	}
	if p.db != nil {
		if err := p.db.Close(); err != nil {
			return nil, err
		}
		p.db = nil
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(p.storePath + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	db, err := sqlitestore.Open(p.storePath)
	if err != nil {
		return nil, err
	}
	p.db = db
	return db, nil
}

// resume opens the --store file and, if it holds an account, continues
// with it: its identity, prekeys and sessions.
func (p *peer) resume() error {
	db, err := sqlitestore.Open(p.storePath)
	if err != nil {
		return err
	}
	p.db = db
	var raw []byte
	err = db.Update(context.Background(), func(tx keystore.Tx) error {
		var err error
		raw, err = tx.Value(bundleKey)
		return err
	})
	if errors.Is(err, keystore.ErrNotFound) {
		return nil // a new store: wait for init
	} else if err != nil {
		return err
	}
	var ids storedBundle
	if err := json.Unmarshal(raw, &ids); err != nil {
		return fmt.Errorf("corrupt peer state in %s: %w", p.storePath, err)
	}
	m := session.New(db)
	ctx := context.Background()
	pks, err := m.PreKeyIDs(ctx)
	if err != nil {
		return err
	}
	// The one-time prekey is left out once a PreKey message consumed it.
	b, err := m.Bundle(ctx, 1, ids.SignedPreKeyID, slices.Contains(pks, ids.PreKeyID), ids.PreKeyID)
	if err != nil {
		return err
	}
	switch {
	case ids.KEMPreKeyID != 0:
		err = m.AddKEMPreKey(ctx, b, ids.KEMPreKeyID)
	case p.profile == profileV4:
		// An account made by the v3 profile or by an older peer: the
		// v4 profile publishes only bundles with a KEM prekey.
		if ids.KEMPreKeyID, err = addKEMPreKey(ctx, m, b); err == nil {
			err = saveBundleIDs(ctx, db, ids)
		}
	}
	if err != nil {
		return err
	}
	if ids.Name != "" {
		m.SetLocalAddress(keystore.Address{Name: ids.Name, DeviceID: 1})
	}
	p.m, p.bundle = m, b
	return nil
}

// currentBundle returns the published bundle, without the one-time prekey
// once it has been consumed, and without a KEM prekey in the v3 profile (an
// account that a v4 peer made keeps its KEM prekey for the sessions
// already started with it).
func (p *peer) currentBundle(ctx context.Context) (map[string]any, error) {
	pks, err := p.m.PreKeyIDs(ctx)
	if err != nil {
		return nil, err
	}
	b := *p.bundle
	if b.HasPreKey && !slices.Contains(pks, b.PreKeyID) {
		b.HasPreKey = false
	}
	if p.profile != profileV4 {
		b.KEMPreKey = nil
	}
	return bundleResponse(&b), nil
}

func bundleResponse(b *x3dh.Bundle) map[string]any {
	res := map[string]any{
		"identity_pub": b.IdentityKey.Bytes(),
		"reg_id":       b.RegistrationID,
		"device_id":    b.DeviceID,
		"signed_prekey": map[string]any{
			"id": b.SignedPreKeyID, "pub": b.SignedPreKey.Bytes(), "sig": b.SignedPreKeySignature,
		},
	}
	if b.HasPreKey {
		res["prekey"] = map[string]any{"id": b.PreKeyID, "pub": b.PreKey.Bytes()}
	}
	if k := b.KEMPreKey; k != nil {
		res["kem_prekey"] = map[string]any{"id": k.ID, "pub": k.PublicKey.Bytes(), "sig": k.Signature, "kem_type": int(k.PublicKey.Type())}
	}
	return res
}

// parseBundle decodes a bundle from the JSON protocol. With pq (the v4
// profile) its kem_prekey is required, so that the session is v4;
// without, the kem_prekey is ignored and the session is v3. Signatures are
// verified by session.Manager.ProcessBundle, before any key is used.
func parseBundle(j *bundleJSON, pq bool) (*x3dh.Bundle, error) {
	if j == nil || j.SignedPreKey == nil {
		return nil, errors.New("bundle: missing identity or signed prekey")
	}
	b := &x3dh.Bundle{RegistrationID: j.RegID, DeviceID: j.DeviceID, SignedPreKeyID: j.SignedPreKey.ID, SignedPreKeySignature: j.SignedPreKey.Sig}
	var err error
	if b.IdentityKey, err = x3dh.NewPublicKey(j.IdentityPub); err != nil {
		return nil, fmt.Errorf("bundle: identity_pub: %w", err)
	}
	if b.SignedPreKey, err = x3dh.NewPublicKey(j.SignedPreKey.Pub); err != nil {
		return nil, fmt.Errorf("bundle: signed_prekey: %w", err)
	}
	if j.PreKey != nil {
		b.HasPreKey, b.PreKeyID = true, j.PreKey.ID
		if b.PreKey, err = x3dh.NewPublicKey(j.PreKey.Pub); err != nil {
			return nil, fmt.Errorf("bundle: prekey: %w", err)
		}
	}
	if !pq {
		return b, nil
	}
	var k *kemPreKeyJSON
	if len(j.KEMPreKey) > 0 {
		if err := json.Unmarshal(j.KEMPreKey, &k); err != nil {
			return nil, fmt.Errorf("bundle: kem_prekey: %w", err)
		}
	}
	if k == nil {
		return nil, errors.New("bundle: no kem_prekey: profile v4 starts only v4 (PQXDH) sessions")
	}
	pub, err := kem.ParsePublicKey(k.Pub)
	if err != nil {
		return nil, fmt.Errorf("bundle: kem_prekey: %w", err)
	}
	if k.KEMType != int(pub.Type()) {
		return nil, fmt.Errorf("bundle: kem_prekey: kem_type %d does not match the key's type byte %d", k.KEMType, pub.Type())
	}
	b.KEMPreKey = &x3dh.KEMPreKey{ID: k.ID, PublicKey: pub, Signature: k.Sig}
	return b, nil
}

// randomUint32 returns a uniform value in [0, n) from crypto/rand.
func randomUint32(n uint32) uint32 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24
	return uint32(binary.LittleEndian.Uint64(b[:]) % uint64(n))
}
