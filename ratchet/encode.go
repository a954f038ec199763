// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package ratchet

import (
	"github.com/crossseal/crossseal/internal/curve"
	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of storage.proto's SessionState, SenderChain, ReceiverChain
// and SkippedKey that AppendProto writes. TestAppendProtoMatchesGenerated
// checks the result against the generated code.
const (
	fieldRootKey         = 4
	fieldPreviousCounter = 5
	fieldSenderChain     = 6
	fieldReceiverChains  = 7
	fieldPQRatchetState  = 12

	fieldChainPublic  = 1
	fieldChainPrivate = 2 // SenderChain only
	fieldSenderKey    = 3 // SenderChain.chain_key
	fieldSenderIndex  = 4 // SenderChain.index
	fieldRecvKey      = 2 // ReceiverChain.chain_key
	fieldRecvIndex    = 3 // ReceiverChain.index
	fieldRecvSkipped  = 4
	fieldSkippedIndex = 1
	fieldSkippedSeed  = 2
)

// AppendProto appends the ratchet fields 4 to 7 of a storage.proto
// SessionState (root_key, previous_counter, sender_chain, receiver_chains)
// in protobuf encoding; the caller writes session_version (field 1, the
// State's Version) and the fields around these. It writes the same message as
// [State.ToProto] followed by proto.Marshal, in one buffer, because
// sessions are re-encoded on every message.
func (s *State) AppendProto(b []byte) []byte {
	b = appendBytesField(b, fieldRootKey, s.root[:])
	b = appendVarintField(b, fieldPreviousCounter, uint64(s.previousCounter))

	var pub [curve.SerializedPublicKeySize]byte
	sc := s.sender
	scLen := fieldLen(len(pub)) + fieldLen(len(sc.private)) + fieldLen(len(sc.chain.Key)) + varintFieldLen(uint64(sc.chain.Index))
	b = protowire.AppendTag(b, fieldSenderChain, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(scLen))
	b = appendBytesField(b, fieldChainPublic, sc.public.AppendBytes(pub[:0]))
	b = appendBytesField(b, fieldChainPrivate, sc.private[:])
	b = appendBytesField(b, fieldSenderKey, sc.chain.Key[:])
	b = appendVarintField(b, fieldSenderIndex, uint64(sc.chain.Index))

	for i := range s.receivers {
		r := &s.receivers[i]
		n := fieldLen(len(pub)) + fieldLen(KeySize) + varintFieldLen(uint64(r.chain.Index))
		for _, k := range r.skipped {
			n += fieldLen(skippedLen(k))
		}
		b = protowire.AppendTag(b, fieldReceiverChains, protowire.BytesType)
		b = protowire.AppendVarint(b, uint64(n))
		b = appendBytesField(b, fieldChainPublic, r.their.AppendBytes(pub[:0]))
		b = appendBytesField(b, fieldRecvKey, r.chain.Key[:])
		b = appendVarintField(b, fieldRecvIndex, uint64(r.chain.Index))
		for _, k := range r.skipped {
			b = protowire.AppendTag(b, fieldRecvSkipped, protowire.BytesType)
			b = protowire.AppendVarint(b, uint64(skippedLen(k)))
			b = appendVarintField(b, fieldSkippedIndex, uint64(k.index))
			b = appendBytesField(b, fieldSkippedSeed, k.seed[:])
		}
	}
	return b
}

// ProtoSize returns an upper bound of the bytes AppendProto appends.
func (s *State) ProtoSize() int {
	n := 3*11 + 2*(KeySize+2) + 2*(curve.SerializedPublicKeySize+2) + 3*(KeySize+2) + 16
	for _, r := range s.receivers {
		n += curve.SerializedPublicKeySize + KeySize + 20 + len(r.skipped)*(KeySize+14)
	}
	if s.pq != nil {
		n += s.pq.SizeHint()
	}
	return n
}

func skippedLen(k skippedKey) int {
	return varintFieldLen(uint64(k.index)) + fieldLen(KeySize)
}

// appendVarintField appends a varint field, omitting zero as proto3 does.
func appendVarintField(b []byte, num protowire.Number, v uint64) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

func appendBytesField(b []byte, num protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

// fieldLen is the encoded size of a bytes field with a one-byte tag.
func fieldLen(n int) int { return 1 + protowire.SizeVarint(uint64(n)) + n }

func varintFieldLen(v uint64) int {
	if v == 0 {
		return 0
	}
	return 1 + protowire.SizeVarint(v)
}
