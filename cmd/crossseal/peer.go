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
	"time"

	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/session"
	"github.com/crossseal/crossseal/x3dh"
)

// maxRequestLine bounds one JSON request (a 64 KiB payload is ~88 KiB of
// base64; 4 MiB leaves ample room).
const maxRequestLine = 4 << 20

type peerRequest struct {
	Op        string          `json:"op"`
	Name      string          `json:"name"`
	RegID     *uint32         `json:"reg_id"`
	Peer      string          `json:"peer"`
	Bundle    *bundleJSON     `json:"bundle"`
	Plaintext []byte          `json:"plaintext"`
	Type      int             `json:"type"`
	Body      []byte          `json:"body"`
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
	KEMPreKey json.RawMessage `json:"kem_prekey,omitempty"`
}

type peer struct {
	profile string
	m       *session.Manager
	bundle  *x3dh.Bundle
}

func runPeer(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("peer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	profile := fs.String("profile", "v3", "session profile: v3")
	storePath := fs.String("store", "", "persistent keystore path (default: in memory)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *profile != "v3" {
		fmt.Fprintf(stderr, "crossseal peer: profile %q is not supported (supported: v3)\n", *profile)
		return 2
	}
	if *storePath != "" {
		fmt.Fprintln(stderr, "crossseal peer: --store is not supported yet: no persistent keystore in this build")
		return 2
	}
	p := &peer{profile: *profile}
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
		if p.bundle == nil {
			return nil, errors.New("not initialized")
		}
		return bundleResponse(p.bundle), nil
	}
	if p.m == nil {
		return nil, errors.New("not initialized: send init first")
	}
	addr := keystore.Address{Name: req.Peer, DeviceID: 1}
	switch req.Op {
	case "process_bundle":
		b, err := parseBundle(req.Bundle)
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
	m := session.New(keystore.NewMemory())
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
	p.m, p.bundle = m, b
	return bundleResponse(b), nil
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
	return res
}

func parseBundle(j *bundleJSON) (*x3dh.Bundle, error) {
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
	return b, nil
}

// randomUint32 returns a uniform value in [0, n) from crypto/rand.
func randomUint32(n uint32) uint32 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24
	return uint32(binary.LittleEndian.Uint64(b[:]) % uint64(n))
}
