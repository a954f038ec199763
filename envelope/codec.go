// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"bytes"
	"fmt"

	"github.com/crossseal/crossseal/internal/pb"
	"google.golang.org/protobuf/proto"
)

// This file is the envelope codec: it needs no keys and no store, so
// relays, fuzzers and conformance tools can parse envelopes.

// FormatVersion is the envelope format version this package reads and
// writes.
const FormatVersion = 1

// MessageType is the kind of Signal message an envelope carries. Its values
// are libsignal's CiphertextMessageType numbers. There is no plaintext
// type.
type MessageType uint8

const (
	// TypeWhisper is a SignalMessage in an established session.
	TypeWhisper MessageType = 2
	// TypePreKey is a PreKeySignalMessage, which starts a session.
	TypePreKey MessageType = 3
)

// String returns "whisper", "prekey" or "type(<n>)".
func (t MessageType) String() string {
	switch t {
	case TypeWhisper:
		return "whisper"
	case TypePreKey:
		return "prekey"
	}
	return fmt.Sprintf("type(%d)", uint8(t))
}

// Envelope is what travels between apps and what a relay sees: routing
// addresses and the exact Signal wire bytes. Nothing in it is secret; the
// addresses are not authenticated by the envelope itself, but [Client.Open]
// checks the sender against the one bound inside the encrypted content.
type Envelope struct {
	// Version is the format version, [FormatVersion].
	Version uint32
	// Sender and Recipient are device addresses.
	Sender, Recipient Address
	// Type is [TypePreKey] or [TypeWhisper].
	Type MessageType
	// Body is the Signal message: its first byte's high nibble is the
	// message version, which is the envelope's [Profile].
	Body []byte
}

// Profile returns the profile of the Signal message in e (the high nibble
// of its first byte), or 0 if e has no body.
func (e *Envelope) Profile() Profile {
	if len(e.Body) == 0 {
		return 0
	}
	return Profile(e.Body[0] >> 4)
}

// String prints the routing data and the body size.
func (e *Envelope) String() string {
	return fmt.Sprintf("envelope{%s -> %s, %s %s, %d bytes}", e.Sender, e.Recipient, e.Profile(), e.Type, len(e.Body))
}

// Validate checks e as [Parse] checks a parsed envelope. It returns a
// [*ParseError], a [*VersionError], or an error matching
// [ErrUnsupportedType].
func (e *Envelope) Validate() error {
	if e.Version != FormatVersion {
		return &VersionError{"envelope", e.Version}
	}
	if err := e.Sender.Validate(); err != nil {
		return &ParseError{"envelope", "sender: " + err.(*ParseError).Reason}
	}
	if err := e.Recipient.Validate(); err != nil {
		return &ParseError{"envelope", "recipient: " + err.(*ParseError).Reason}
	}
	if e.Type != TypeWhisper && e.Type != TypePreKey {
		return fmt.Errorf("%w %d", ErrUnsupportedType, e.Type)
	}
	if len(e.Body) == 0 || len(e.Body) > MaxBodySize {
		return &ParseError{"envelope", fmt.Sprintf("body of %d bytes", len(e.Body))}
	}
	if p := e.Profile(); !p.known() {
		return &VersionError{"signal message", uint32(p)}
	}
	return nil
}

// Parse decodes an envelope without keys. It accepts only the canonical
// encoding that [Envelope.Marshal] produces (so every accepted input
// re-encodes to itself), a known version and type, valid addresses and a
// body of a known Signal message version. It returns a [*ParseError], a
// [*VersionError] or an error matching [ErrUnsupportedType], and then a nil
// envelope. The body is a fresh copy.
func Parse(b []byte) (*Envelope, error) {
	if len(b) > MaxEnvelopeSize {
		return nil, &ParseError{"envelope", "too long"}
	}
	var p pb.Envelope
	if err := proto.Unmarshal(b, &p); err != nil {
		return nil, &ParseError{"envelope", "bad protobuf"}
	}
	e := &Envelope{
		Version:   p.Version,
		Sender:    addressFromPB(p.Sender),
		Recipient: addressFromPB(p.Recipient),
		Body:      p.Body,
	}
	if p.Type >= 0 && p.Type <= 255 {
		e.Type = MessageType(p.Type) // anything else stays 0: unsupported
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	out, err := e.Marshal()
	if err != nil || !bytes.Equal(out, b) {
		return nil, &ParseError{"envelope", "not canonically encoded"}
	}
	return e, nil
}

// Marshal encodes e canonically (fields in field-number order, no default
// values, no unknown fields). It returns the errors of [Envelope.Validate].
func (e *Envelope) Marshal() ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(&pb.Envelope{
		Version:   e.Version,
		Sender:    addressToPB(e.Sender),
		Recipient: addressToPB(e.Recipient),
		Type:      pb.EnvelopeMessageType(e.Type),
		Body:      e.Body,
	})
	if err != nil {
		return nil, fmt.Errorf("envelope: internal error: %w", err)
	}
	return b, nil
}

func addressFromPB(p *pb.EnvelopeAddress) Address {
	if p == nil {
		return Address{}
	}
	return Address{App: p.App, User: p.User, Device: p.Device}
}

func addressToPB(a Address) *pb.EnvelopeAddress {
	return &pb.EnvelopeAddress{App: a.App, User: a.User, Device: a.Device}
}
