// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package driver

import (
	"errors"
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// Wire layout (PROTOCOL.md, "Messages"):
//
//	SignalMessage       = version ‖ protobuf{…, 4 ciphertext, …} ‖ MAC (8 bytes)
//	PreKeySignalMessage = version ‖ protobuf{…, 4 message (a SignalMessage), …}
const (
	macSize             = 8
	fieldRatchetKey     = 1 // in SignalMessage
	fieldCiphertext     = 4 // in SignalMessage
	fieldBaseKey        = 2 // in PreKeySignalMessage
	fieldIdentityKey    = 3 // in PreKeySignalMessage
	fieldPreKeyEmbedded = 4 // in PreKeySignalMessage
)

// span is a byte range [start, end) in a message body.
type span struct{ start, end int }

// signalSpan returns the range of the SignalMessage inside a message:
// all of it for type 2, the embedded message for type 3.
func signalSpan(m Message) (span, error) {
	switch m.Type {
	case TypeSignal:
		return span{0, len(m.Body)}, nil
	case TypePreKey:
		if len(m.Body) < 1 {
			return span{}, errors.New("empty message")
		}
		s, err := findBytesField(m.Body[1:], fieldPreKeyEmbedded)
		if err != nil {
			return span{}, fmt.Errorf("PreKeySignalMessage: %w", err)
		}
		return span{1 + s.start, 1 + s.end}, nil
	default:
		return span{}, fmt.Errorf("unknown message type %d", m.Type)
	}
}

// ciphertextSpan returns where the encrypted body lies in m.
func ciphertextSpan(m Message) (span, error) {
	sig, err := signalSpan(m)
	if err != nil {
		return span{}, err
	}
	if sig.end-sig.start < 1+macSize {
		return span{}, errors.New("SignalMessage too short")
	}
	pb := m.Body[sig.start+1 : sig.end-macSize]
	s, err := findBytesField(pb, fieldCiphertext)
	if err != nil {
		return span{}, fmt.Errorf("SignalMessage: %w", err)
	}
	if s.end == s.start {
		return span{}, errors.New("SignalMessage: empty ciphertext")
	}
	off := sig.start + 1
	return span{off + s.start, off + s.end}, nil
}

// macSpan returns where the 8-byte MAC lies in m.
func macSpan(m Message) (span, error) {
	sig, err := signalSpan(m)
	if err != nil {
		return span{}, err
	}
	if sig.end-sig.start < 1+macSize {
		return span{}, errors.New("SignalMessage too short")
	}
	return span{sig.end - macSize, sig.end}, nil
}

// findBytesField returns the value range of the first length-delimited
// field num in the protobuf b.
func findBytesField(b []byte, num protowire.Number) (span, error) {
	_, v, err := findField(b, num)
	return v, err
}

// findField returns where the first length-delimited field num of the
// protobuf b starts (its tag) and the range of its value.
func findField(b []byte, num protowire.Number) (start int, value span, err error) {
	off := 0
	for off < len(b) {
		n, typ, tagLen := protowire.ConsumeTag(b[off:])
		if tagLen < 0 {
			return 0, span{}, protowire.ParseError(tagLen)
		}
		if n == num && typ == protowire.BytesType {
			v, vLen := protowire.ConsumeBytes(b[off+tagLen:])
			if vLen < 0 {
				return 0, span{}, protowire.ParseError(vLen)
			}
			end := off + tagLen + vLen
			return off, span{end - len(v), end}, nil
		}
		vLen := protowire.ConsumeFieldValue(n, typ, b[off+tagLen:])
		if vLen < 0 {
			return 0, span{}, protowire.ParseError(vLen)
		}
		off += tagLen + vLen
	}
	return 0, span{}, fmt.Errorf("field %d not found", num)
}

// replaceField returns a copy of the protobuf b with the value of its
// first length-delimited field num replaced by val.
func replaceField(b []byte, num protowire.Number, val []byte) ([]byte, error) {
	start, v, err := findField(b, num)
	if err != nil {
		return nil, err
	}
	out := append([]byte(nil), b[:start]...)
	out = protowire.AppendTag(out, num, protowire.BytesType)
	out = protowire.AppendBytes(out, val)
	return append(out, b[v.end:]...), nil
}

// replaceSignalField returns a SignalMessage (version ‖ protobuf ‖ MAC)
// with field num replaced by val, keeping the version byte and the (now
// wrong) MAC.
func replaceSignalField(sm []byte, num protowire.Number, val []byte) ([]byte, error) {
	if len(sm) < 1+macSize {
		return nil, errors.New("SignalMessage too short")
	}
	pb, err := replaceField(sm[1:len(sm)-macSize], num, val)
	if err != nil {
		return nil, err
	}
	out := append([]byte{sm[0]}, pb...)
	return append(out, sm[len(sm)-macSize:]...), nil
}

// replaceKeyField returns m with one of its public-key fields replaced by
// val: the ratchet key of the SignalMessage (embedded, for type 3) when
// num is fieldRatchetKey, or field num of the PreKeySignalMessage.
func replaceKeyField(m Message, num protowire.Number, val []byte) (Message, error) {
	if m.Type == TypeSignal {
		if num != fieldRatchetKey {
			return Message{}, fmt.Errorf("a SignalMessage has no field %d to replace", num)
		}
		b, err := replaceSignalField(m.Body, num, val)
		return Message{Type: m.Type, Body: b}, err
	}
	if m.Type != TypePreKey || len(m.Body) < 1 {
		return Message{}, errors.New("not a PreKeySignalMessage")
	}
	if num != fieldRatchetKey {
		pb, err := replaceField(m.Body[1:], num, val)
		return Message{Type: m.Type, Body: append([]byte{m.Body[0]}, pb...)}, err
	}
	inner, err := signalSpan(m)
	if err != nil {
		return Message{}, err
	}
	sm, err := replaceSignalField(m.Body[inner.start:inner.end], num, val)
	if err != nil {
		return Message{}, err
	}
	pb, err := replaceField(m.Body[1:], fieldPreKeyEmbedded, sm)
	return Message{Type: m.Type, Body: append([]byte{m.Body[0]}, pb...)}, err
}

// flipByte returns a copy of m with the byte at i inverted.
func flipByte(m Message, i int) Message {
	body := append([]byte(nil), m.Body...)
	body[i] ^= 0xFF
	return Message{Type: m.Type, Body: body}
}

// withBody returns a message of type typ with body b.
func withBody(typ int, b []byte) Message {
	return Message{Type: typ, Body: append([]byte(nil), b...)}
}
