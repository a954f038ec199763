// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package wire

import (
	"crypto/hmac"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/kdf"
	"github.com/crossseal/crossseal/internal/pb"
	"google.golang.org/protobuf/proto"
)

// SignalMessage is a parsed type-2 message. Its fields are public data.
type SignalMessage struct {
	// Version is the protocol version (3 or 4).
	Version uint8
	// RatchetKey is the sender's current ratchet public key.
	RatchetKey curve.PublicKey
	// Counter is the message number in the sender's chain.
	Counter uint32
	// PreviousCounter is the length of the sender's previous chain, as sent.
	PreviousCounter uint32
	// Ciphertext is the AES-256-CBC body.
	Ciphertext []byte
	// PQRatchet is the SPQR message (v4 only), nil if absent.
	PQRatchet []byte
	// Addresses is the v4 address binding, nil if absent.
	Addresses []byte

	raw []byte // version ‖ protobuf ‖ MAC, exactly as received or produced
}

// VersionByte returns the first byte of a message of version v:
// (v << 4) | v, as libsignal and go.mau.fi/libsignal write it.
func VersionByte(v uint8) byte { return v<<4 | v }

// parseVersion checks the version byte of a message.
func parseVersion(b byte) (uint8, error) {
	v := b >> 4
	if v < MinVersion || v > MaxVersion {
		return 0, &VersionError{Got: v}
	}
	return v, nil
}

// ParseSignalMessage parses a SignalMessage without verifying its MAC. The
// returned message keeps a copy of b for MAC verification.
func ParseSignalMessage(b []byte) (*SignalMessage, error) {
	const what = "SignalMessage"
	if len(b) > MaxMessageSize {
		return nil, &ParseError{what, "too long"}
	}
	if len(b) < 1+MACSize {
		return nil, &ParseError{what, "too short"}
	}
	v, err := parseVersion(b[0])
	if err != nil {
		return nil, err
	}
	var m pb.SignalMessage
	if err := proto.Unmarshal(b[1:len(b)-MACSize], &m); err != nil {
		return nil, &ParseError{what, "bad protobuf"}
	}
	if m.RatchetKey == nil || m.Counter == nil || m.Ciphertext == nil {
		return nil, &ParseError{what, "missing field"}
	}
	rk, err := curve.NewPublicKey(m.RatchetKey)
	if err != nil {
		return nil, &ParseError{what, "bad ratchet key"}
	}
	if v == VersionV3 && (m.PqRatchet != nil || m.Addresses != nil) {
		return nil, &ParseError{what, "v4 field in v3 message"}
	}
	return &SignalMessage{
		Version:         v,
		RatchetKey:      rk,
		Counter:         m.GetCounter(),
		PreviousCounter: m.GetPreviousCounter(),
		Ciphertext:      m.Ciphertext,
		PQRatchet:       m.PqRatchet,
		Addresses:       m.Addresses,
		raw:             append([]byte(nil), b...),
	}, nil
}

// NewSignalMessage encodes a SignalMessage and appends its MAC, computed with
// macKey over senderIdentity ‖ receiverIdentity ‖ version ‖ protobuf.
func NewSignalMessage(m *SignalMessage, macKey []byte, senderIdentity, receiverIdentity curve.PublicKey) *SignalMessage {
	p := pb.SignalMessage{
		RatchetKey:      m.RatchetKey.Bytes(),
		Counter:         proto.Uint32(m.Counter),
		PreviousCounter: proto.Uint32(m.PreviousCounter),
		Ciphertext:      m.Ciphertext,
		PqRatchet:       m.PQRatchet,
		Addresses:       m.Addresses,
	}
	size := proto.Size(&p)
	raw := make([]byte, 1, 1+size+MACSize+kdf.KeySize)
	raw[0] = VersionByte(m.Version)
	raw, err := proto.MarshalOptions{Deterministic: true}.MarshalAppend(raw, &p)
	if err != nil {
		panic("crossseal/wire: internal error: " + err.Error())
	}
	raw = appendMAC(raw, macKey, senderIdentity, receiverIdentity)
	out := *m
	out.raw = raw[:len(raw):len(raw)]
	return &out
}

// appendMAC appends HMAC-SHA256(macKey, sender ‖ receiver ‖ body)[:8].
func appendMAC(body, macKey []byte, sender, receiver curve.PublicKey) []byte {
	full := computeMAC(body, macKey, sender, receiver)
	return append(body, full[:MACSize]...)
}

func computeMAC(body, macKey []byte, sender, receiver curve.PublicKey) [32]byte {
	var ids [2 * curve.SerializedPublicKeySize]byte
	sender.AppendBytes(ids[:0])
	receiver.AppendBytes(ids[curve.SerializedPublicKeySize:curve.SerializedPublicKeySize])
	h := kdf.NewMAC(macKey)
	h.Write(ids[:])
	h.Write(body)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// VerifyMAC reports, in constant time, whether the message's MAC is valid
// for macKey and the two identities, computed over the bytes as received.
func (m *SignalMessage) VerifyMAC(macKey []byte, senderIdentity, receiverIdentity curve.PublicKey) bool {
	if len(m.raw) < 1+MACSize {
		return false
	}
	body := m.raw[:len(m.raw)-MACSize]
	want := computeMAC(body, macKey, senderIdentity, receiverIdentity)
	return hmac.Equal(want[:MACSize], m.raw[len(m.raw)-MACSize:])
}

// Bytes returns the serialized message (version ‖ protobuf ‖ MAC). The
// caller must not modify it.
func (m *SignalMessage) Bytes() []byte { return m.raw }
