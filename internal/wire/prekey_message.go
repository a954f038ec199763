// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package wire

import (
	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/pb"
	"google.golang.org/protobuf/proto"
)

// PreKeySignalMessage is a parsed type-3 message: the first messages of a
// session, carrying what the responder needs to run X3DH. Its fields are
// public data.
type PreKeySignalMessage struct {
	// Version is the protocol version (3 or 4).
	Version uint8
	// RegistrationID is the sender's registration id.
	RegistrationID uint32
	// PreKeyID is the one-time prekey used, if HasPreKeyID.
	PreKeyID    uint32
	HasPreKeyID bool
	// SignedPreKeyID is the signed prekey used.
	SignedPreKeyID uint32
	// KyberPreKeyID and KyberCiphertext carry the PQXDH KEM part (v4).
	KyberPreKeyID    uint32
	HasKyberPreKeyID bool
	KyberCiphertext  []byte
	// BaseKey is the initiator's ephemeral X3DH key.
	BaseKey curve.PublicKey
	// IdentityKey is the initiator's identity key.
	IdentityKey curve.PublicKey
	// Message is the embedded first SignalMessage.
	Message *SignalMessage

	raw []byte
}

// ParsePreKeySignalMessage parses a PreKeySignalMessage and the
// SignalMessage inside it, without verifying anything cryptographic.
func ParsePreKeySignalMessage(b []byte) (*PreKeySignalMessage, error) {
	const what = "PreKeySignalMessage"
	if len(b) > MaxMessageSize {
		return nil, &ParseError{what, "too long"}
	}
	if len(b) < 1 {
		return nil, &ParseError{what, "too short"}
	}
	v, err := parseVersion(b[0])
	if err != nil {
		return nil, err
	}
	var m pb.PreKeySignalMessage
	if err := proto.Unmarshal(b[1:], &m); err != nil {
		return nil, &ParseError{what, "bad protobuf"}
	}
	if m.SignedPreKeyId == nil || m.BaseKey == nil || m.IdentityKey == nil || m.Message == nil {
		return nil, &ParseError{what, "missing field"}
	}
	base, err := curve.NewPublicKey(m.BaseKey)
	if err != nil {
		return nil, &ParseError{what, "bad base key"}
	}
	ik, err := curve.NewPublicKey(m.IdentityKey)
	if err != nil {
		return nil, &ParseError{what, "bad identity key"}
	}
	if v == VersionV3 && (m.KyberPreKeyId != nil || m.KyberCiphertext != nil) {
		return nil, &ParseError{what, "v4 field in v3 message"}
	}
	if (m.KyberPreKeyId != nil) != (m.KyberCiphertext != nil) {
		return nil, &ParseError{what, "kyber prekey id and ciphertext must come together"}
	}
	inner, err := ParseSignalMessage(m.Message)
	if err != nil {
		return nil, err
	}
	if inner.Version != v {
		return nil, &ParseError{what, "inner message version differs"}
	}
	return &PreKeySignalMessage{
		Version:          v,
		RegistrationID:   m.GetRegistrationId(),
		PreKeyID:         m.GetPreKeyId(),
		HasPreKeyID:      m.PreKeyId != nil,
		SignedPreKeyID:   m.GetSignedPreKeyId(),
		KyberPreKeyID:    m.GetKyberPreKeyId(),
		HasKyberPreKeyID: m.KyberPreKeyId != nil,
		KyberCiphertext:  m.KyberCiphertext,
		BaseKey:          base,
		IdentityKey:      ik,
		Message:          inner,
		raw:              append([]byte(nil), b...),
	}, nil
}

// NewPreKeySignalMessage encodes m (whose Message must have been produced by
// [NewSignalMessage] or parsed) and returns it with its serialized form set.
func NewPreKeySignalMessage(m *PreKeySignalMessage) *PreKeySignalMessage {
	p := pb.PreKeySignalMessage{
		RegistrationId: proto.Uint32(m.RegistrationID),
		SignedPreKeyId: proto.Uint32(m.SignedPreKeyID),
		BaseKey:        m.BaseKey.Bytes(),
		IdentityKey:    m.IdentityKey.Bytes(),
		Message:        m.Message.Bytes(),
	}
	if m.HasPreKeyID {
		p.PreKeyId = proto.Uint32(m.PreKeyID)
	}
	if m.HasKyberPreKeyID {
		p.KyberPreKeyId = proto.Uint32(m.KyberPreKeyID)
		p.KyberCiphertext = m.KyberCiphertext
	}
	raw := make([]byte, 1, 1+proto.Size(&p))
	raw[0] = VersionByte(m.Version)
	raw, err := proto.MarshalOptions{Deterministic: true}.MarshalAppend(raw, &p)
	if err != nil {
		panic("crossseal/wire: internal error: " + err.Error())
	}
	out := *m
	out.raw = raw
	return &out
}

// Bytes returns the serialized message. The caller must not modify it.
func (m *PreKeySignalMessage) Bytes() []byte { return m.raw }
