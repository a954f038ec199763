// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package spqr

import (
	"fmt"

	"github.com/crossseal/crossseal/internal/spqr/erasure"
	"google.golang.org/protobuf/encoding/protowire"
)

// version1 is the first byte of every SPQR v1 message.
const version1 = 1

// msgType is what an SPQR message carries.
type msgType uint8

// Message types, as numbered on the wire.
const (
	typeNone     msgType = 0 // nothing
	typeHdr      msgType = 1 // a chunk of the encapsulation key header ‖ MAC
	typeEk       msgType = 2 // a chunk of the encapsulation key vector
	typeEkCt1Ack msgType = 3 // a chunk of the key vector; ct1 fully received
	typeCt1Ack   msgType = 4 // ct1 fully received
	typeCt1      msgType = 5 // a chunk of ciphertext part 1
	typeCt2      msgType = 6 // a chunk of ciphertext part 2 ‖ MAC
	typeMax              = typeCt2
)

func (t msgType) hasChunk() bool {
	switch t {
	case typeHdr, typeEk, typeEkCt1Ack, typeCt1, typeCt2:
		return true
	}
	return false
}

// message is a decoded SPQR message.
type message struct {
	epoch uint64
	index uint32 // position of the message key in the sender's chain
	typ   msgType
	chunk erasure.Chunk
}

// MaxMessageSize is the largest SPQR v1 message.
const MaxMessageSize = 1 + 10 + 5 + 1 + 3 + 32

// appendTo encodes m: version ‖ varint epoch ‖ varint index ‖ type ‖
// (varint chunk index ‖ 32 bytes).
func (m *message) appendTo(b []byte) []byte {
	b = append(b, version1)
	b = protowire.AppendVarint(b, m.epoch)
	b = protowire.AppendVarint(b, uint64(m.index))
	b = append(b, byte(m.typ))
	if m.typ.hasChunk() {
		b = protowire.AppendVarint(b, uint64(m.chunk.Index))
		b = append(b, m.chunk.Data[:]...)
	}
	return b
}

// parseMessage decodes an SPQR message. It rejects trailing bytes, epoch
// 0, and out-of-range numbers.
func parseMessage(b []byte) (message, error) {
	var m message
	if len(b) == 0 || b[0] != version1 {
		return m, ErrVersion
	}
	b = b[1:]
	epoch, n := protowire.ConsumeVarint(b)
	if n < 0 || epoch == 0 {
		return m, fmt.Errorf("%w: epoch", ErrMalformed)
	}
	b = b[n:]
	index, n := protowire.ConsumeVarint(b)
	if n < 0 || index > 0xFFFFFFFF {
		return m, fmt.Errorf("%w: index", ErrMalformed)
	}
	b = b[n:]
	if len(b) == 0 || msgType(b[0]) > typeMax {
		return m, fmt.Errorf("%w: type", ErrMalformed)
	}
	m.epoch, m.index, m.typ = epoch, uint32(index), msgType(b[0])
	b = b[1:]
	if m.typ.hasChunk() {
		ci, n := protowire.ConsumeVarint(b)
		if n < 0 || ci > 0xFFFF {
			return m, fmt.Errorf("%w: chunk index", ErrMalformed)
		}
		b = b[n:]
		if len(b) < len(m.chunk.Data) {
			return m, fmt.Errorf("%w: short chunk", ErrMalformed)
		}
		m.chunk.Index = uint16(ci)
		copy(m.chunk.Data[:], b)
		b = b[len(m.chunk.Data):]
	}
	if len(b) != 0 {
		return m, fmt.Errorf("%w: %d trailing bytes", ErrMalformed, len(b))
	}
	return m, nil
}
