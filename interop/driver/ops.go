// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package driver

import (
	"encoding/json"
	"fmt"
)

// Bundle is a prekey bundle as a peer published it. Raw is passed to
// other peers verbatim (so fields the driver does not model survive); the
// other fields are decoded for checks and in-process endpoints.
type Bundle struct {
	Raw json.RawMessage `json:"-"`

	IdentityPub  []byte              `json:"identity_pub"`
	RegID        uint32              `json:"reg_id"`
	DeviceID     uint32              `json:"device_id"`
	SignedPreKey *BundleSignedPreKey `json:"signed_prekey"`
	PreKey       *BundlePreKey       `json:"prekey,omitempty"`
	KEMPreKey    *BundleKEMPreKey    `json:"kem_prekey,omitempty"`
}

// BundleKEMPreKey is the kem_prekey of a v4 [Bundle]: Pub is the type
// byte ‖ KEM public key.
type BundleKEMPreKey struct {
	ID      uint32 `json:"id"`
	Pub     []byte `json:"pub"`
	Sig     []byte `json:"sig"`
	KEMType int    `json:"kem_type"`
}

// BundleSignedPreKey is the signed_prekey of a [Bundle].
type BundleSignedPreKey struct {
	ID  uint32 `json:"id"`
	Pub []byte `json:"pub"`
	Sig []byte `json:"sig"`
}

// BundlePreKey is the one-time prekey of a [Bundle].
type BundlePreKey struct {
	ID  uint32 `json:"id"`
	Pub []byte `json:"pub"`
}

// Message is one Signal message on the wire: its CiphertextMessage type
// (2 = SignalMessage, 3 = PreKeySignalMessage) and its exact bytes.
type Message struct {
	Type int
	Body []byte
}

// Message types (PROTOCOL.md, "Messages").
const (
	TypeSignal = 2 // Whisper / SignalMessage
	TypePreKey = 3 // PreKeySignalMessage
)

// do sends req and turns an {"error"} response into a *PeerError.
func (p *Peer) do(req Request) (Response, error) {
	resp, err := p.Call(req)
	if err != nil {
		return nil, err
	}
	if msg, ok := resp.ErrorMessage(); ok {
		return nil, &PeerError{Peer: p.name, Impl: p.impl, Op: fmt.Sprint(req["op"]), Message: msg}
	}
	return resp, nil
}

// protocolError reports a response that has no error but is not shaped
// as INTEROP.md says.
func (p *Peer) protocolError(op string, resp Response, format string, args ...any) error {
	enc, _ := json.Marshal(resp)
	return fmt.Errorf("driver: peer %s: %s: %s; response %.300s", p.label(), op, fmt.Sprintf(format, args...), enc)
}

// Init sends {"op":"init"} with the peer's name and returns its bundle.
// A zero regID leaves reg_id out, so the peer picks one.
func (p *Peer) Init(regID uint32) (*Bundle, error) {
	req := Request{"op": "init", "name": p.name}
	if regID != 0 {
		req["reg_id"] = regID
	}
	resp, err := p.do(req)
	if err != nil {
		return nil, err
	}
	delete(resp, "id")
	raw, err := json.Marshal(resp)
	if err != nil {
		return nil, err
	}
	b := &Bundle{Raw: raw}
	if err := json.Unmarshal(raw, b); err != nil {
		return nil, p.protocolError("init", resp, "bundle does not decode: %v", err)
	}
	return b, nil
}

// ProcessBundle sends {"op":"process_bundle"}: the peer starts a session
// with the peer named peer from its bundle.
func (p *Peer) ProcessBundle(peer string, b *Bundle) error {
	resp, err := p.do(Request{"op": "process_bundle", "peer": peer, "bundle": b.Raw})
	if err != nil {
		return err
	}
	var ok bool
	if json.Unmarshal(resp["ok"], &ok) != nil || !ok {
		return p.protocolError("process_bundle", resp, `want {"ok":true}`)
	}
	return nil
}

// Encrypt sends {"op":"encrypt"} and returns the message for peer.
func (p *Peer) Encrypt(peer string, plaintext []byte) (Message, error) {
	resp, err := p.do(Request{"op": "encrypt", "peer": peer, "plaintext": plaintext})
	if err != nil {
		return Message{}, err
	}
	var m Message
	if json.Unmarshal(resp["type"], &m.Type) != nil || (m.Type != TypeSignal && m.Type != TypePreKey) {
		return Message{}, p.protocolError("encrypt", resp, "type must be 2 or 3")
	}
	if json.Unmarshal(resp["body"], &m.Body) != nil || len(m.Body) == 0 {
		return Message{}, p.protocolError("encrypt", resp, "body must be non-empty base64")
	}
	return m, nil
}

// Decrypt sends {"op":"decrypt"} for a message from peer and returns the
// plaintext. A decryption failure is a *PeerError.
func (p *Peer) Decrypt(peer string, m Message) ([]byte, error) {
	resp, err := p.do(Request{"op": "decrypt", "peer": peer, "type": m.Type, "body": m.Body})
	if err != nil {
		return nil, err
	}
	var pt []byte
	raw, ok := resp["plaintext"]
	if !ok || json.Unmarshal(raw, &pt) != nil {
		return nil, p.protocolError("decrypt", resp, "plaintext must be base64")
	}
	if pt == nil {
		pt = []byte{}
	}
	return pt, nil
}
