// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package spqr

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/internal/spqr/erasure"
	"github.com/crossseal/crossseal/internal/spqr/mlkem768"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

const stateVersion = 1

// Marshal encodes s for storage (proto/spqr.proto). The result is secret.
func (s *State) Marshal() []byte {
	return s.appendState(make([]byte, 0, s.stateSize()))
}

// AppendField appends s to b as protobuf field num of type bytes (the
// same bytes as [State.Marshal], with tag and length), without an
// intermediate buffer: sessions re-encode their state on every message.
func (s *State) AppendField(b []byte, num protowire.Number) []byte {
	n := s.stateSize()
	b = slices.Grow(b, protowire.SizeTag(num)+protowire.SizeBytes(n))
	b = protowire.AppendTag(b, num, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(n))
	return s.appendState(b)
}

// SizeHint is an upper bound of the size of [State.Marshal]'s result
// (plus a field header), for sizing buffers.
func (s *State) SizeHint() int {
	n := s.stateSize()
	return 8 + protowire.SizeBytes(n)
}

// The state is encoded by hand, field by field in number order with proto3
// defaults omitted: exactly the bytes the generated pb.SPQRState would
// marshal to with Deterministic set (record_test.go checks this on every
// state of long random runs), without building the generated structs and
// without reflection, since a v4 session stores its SPQR state after every
// message. Every field number is below 16, so every tag is one byte.

// Field numbers of proto/spqr.proto.
const (
	fStateVersion   = 1
	fStateDirection = 2
	fStateChain     = 3
	fStatePhase     = 4

	fChainCurrent = 1
	fChainSend    = 2
	fChainRoot    = 3
	fChainLinks   = 4

	fLinkSend = 1
	fLinkRecv = 2

	fDirCounter = 1
	fDirNext    = 2
	fDirSkipped = 3

	fPhaseKind    = 1
	fPhaseEpoch   = 2
	fPhaseRoot    = 3
	fPhaseMAC     = 4
	fPhaseSeed    = 5
	fPhaseEK      = 6
	fPhaseHeader  = 7
	fPhaseES      = 8
	fPhaseCt1     = 9
	fPhaseEncoder = 10
	fPhaseDecoder = 11

	fEncMessage = 1
	fEncNext    = 2

	fDecLength = 1
	fDecChunks = 2

	// skippedEntrySize and chunkEntrySize are the sizes of one entry of
	// SPQRDirectionChain.skipped and SPQRDecoder.chunks.
	skippedEntrySize = 4 + 32
	chunkEntrySize   = 2 + 32
)

// sizeVarintField, sizeBytesField and sizeMessageField are the encoded
// sizes of a proto3 field (tag included) holding v, n bytes, or a message of
// n bytes. Zero scalars and empty bytes are omitted; messages are not.
func sizeVarintField(v uint64) int {
	if v == 0 {
		return 0
	}
	return 1 + protowire.SizeVarint(v)
}

func sizeBytesField(n int) int {
	if n == 0 {
		return 0
	}
	return 1 + protowire.SizeBytes(n)
}

func sizeMessageField(n int) int {
	return 1 + protowire.SizeBytes(n)
}

func appendVarintField(b []byte, num protowire.Number, v uint64) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

func appendBytesField(b []byte, num protowire.Number, v []byte) []byte {
	if len(v) == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

// appendLength appends the tag and length of a bytes or message field of n
// bytes, whose contents the caller appends next.
func appendLength(b []byte, num protowire.Number, n int) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendVarint(b, uint64(n))
}

func (s *State) stateSize() int {
	return sizeVarintField(stateVersion) + sizeVarintField(uint64(s.dir)) +
		sizeMessageField(s.chain.size()) + sizeMessageField(s.ph.size())
}

func (s *State) appendState(b []byte) []byte {
	b = appendVarintField(b, fStateVersion, stateVersion)
	b = appendVarintField(b, fStateDirection, uint64(s.dir))
	b = appendLength(b, fStateChain, s.chain.size())
	b = s.chain.appendTo(b)
	b = appendLength(b, fStatePhase, s.ph.size())
	return s.ph.appendTo(b)
}

func (c *chain) size() int {
	n := sizeVarintField(c.current) + sizeVarintField(c.sendEpoch) + sizeBytesField(len(c.nextRoot))
	for i := range c.links {
		n += sizeMessageField(c.links[i].size())
	}
	return n
}

func (c *chain) appendTo(b []byte) []byte {
	b = appendVarintField(b, fChainCurrent, c.current)
	b = appendVarintField(b, fChainSend, c.sendEpoch)
	b = appendBytesField(b, fChainRoot, c.nextRoot[:])
	for i := range c.links {
		l := &c.links[i]
		b = appendLength(b, fChainLinks, l.size())
		b = appendLength(b, fLinkSend, l.send.size())
		b = l.send.appendTo(b)
		b = appendLength(b, fLinkRecv, l.recv.size())
		b = l.recv.appendTo(b)
	}
	return b
}

func (l *link) size() int {
	return sizeMessageField(l.send.size()) + sizeMessageField(l.recv.size())
}

func (d *dirChain) size() int {
	n := sizeVarintField(uint64(d.counter)) + sizeBytesField(skippedEntrySize*len(d.prev))
	if d.usable {
		n += sizeBytesField(len(d.next))
	}
	return n
}

func (d *dirChain) appendTo(b []byte) []byte {
	b = appendVarintField(b, fDirCounter, uint64(d.counter))
	if d.usable {
		b = appendBytesField(b, fDirNext, d.next[:])
	}
	if len(d.prev) > 0 {
		b = appendLength(b, fDirSkipped, skippedEntrySize*len(d.prev))
		for _, e := range d.prev {
			b = binary.BigEndian.AppendUint32(b, e.index)
			b = append(b, e.key[:]...)
		}
	}
	return b
}

func (p *phase) size() int {
	n := sizeVarintField(uint64(p.kind)) + sizeVarintField(p.epoch) +
		sizeBytesField(len(p.auth.root)) + sizeBytesField(len(p.auth.mac)) +
		sizeBytesField(len(p.seed)) + sizeBytesField(len(p.ek)) + sizeBytesField(len(p.hdr)) +
		sizeBytesField(len(p.es)) + sizeBytesField(len(p.ct1))
	if p.enc != nil {
		n += sizeMessageField(p.encoderSize())
	}
	if p.dec != nil {
		n += sizeMessageField(p.decoderSize())
	}
	return n
}

func (p *phase) encoderSize() int {
	return sizeBytesField(p.enc.MessageSize()) + sizeVarintField(uint64(p.enc.Index()))
}

func (p *phase) decoderSize() int {
	return sizeVarintField(uint64(p.dec.Length())) + sizeBytesField(chunkEntrySize*p.dec.NumChunks())
}

func (p *phase) appendTo(b []byte) []byte {
	b = appendVarintField(b, fPhaseKind, uint64(p.kind))
	b = appendVarintField(b, fPhaseEpoch, p.epoch)
	b = appendBytesField(b, fPhaseRoot, p.auth.root[:])
	b = appendBytesField(b, fPhaseMAC, p.auth.mac[:])
	b = appendBytesField(b, fPhaseSeed, p.seed)
	b = appendBytesField(b, fPhaseEK, p.ek)
	b = appendBytesField(b, fPhaseHeader, p.hdr)
	b = appendBytesField(b, fPhaseES, p.es)
	b = appendBytesField(b, fPhaseCt1, p.ct1)
	if p.enc != nil {
		b = appendLength(b, fPhaseEncoder, p.encoderSize())
		if m := p.enc.MessageSize(); m > 0 {
			b = appendLength(b, fEncMessage, m)
			b = p.enc.AppendMessage(b)
		}
		b = appendVarintField(b, fEncNext, uint64(p.enc.Index()))
	}
	if p.dec != nil {
		b = appendLength(b, fPhaseDecoder, p.decoderSize())
		b = appendVarintField(b, fDecLength, uint64(p.dec.Length()))
		if n := p.dec.NumChunks(); n > 0 {
			b = appendLength(b, fDecChunks, chunkEntrySize*n)
			for i := range n {
				c := p.dec.HeldChunk(i)
				b = binary.BigEndian.AppendUint16(b, c.Index)
				b = append(b, c.Data[:]...)
			}
		}
	}
	return b
}

// Unmarshal decodes a state stored by [State.Marshal]. It checks every
// size and invariant, so that a corrupt record is an error, never a panic
// later.
func Unmarshal(b []byte) (*State, error) {
	var p pb.SPQRState
	if err := proto.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorruptState, err)
	}
	if p.Version != stateVersion || p.Direction > uint32(B2A) || p.Chain == nil || p.Phase == nil {
		return nil, fmt.Errorf("%w: header", ErrCorruptState)
	}
	s := &State{dir: Direction(p.Direction)}
	var err error
	if s.chain, err = chainFromProto(p.Chain, s.dir); err != nil {
		return nil, err
	}
	if s.ph, err = phaseFromProto(p.Phase); err != nil {
		return nil, err
	}
	return s, nil
}

func chainFromProto(p *pb.SPQRChain, dir Direction) (chain, error) {
	bad := func(what string) (chain, error) { return chain{}, fmt.Errorf("%w: chain %s", ErrCorruptState, what) }
	c := chain{dir: dir, current: p.CurrentEpoch, sendEpoch: p.SendEpoch}
	if len(p.NextRoot) != 32 || copy(c.nextRoot[:], p.NextRoot) != 32 {
		return bad("root")
	}
	if len(p.Links) == 0 || len(p.Links) > maxLinks || uint64(len(p.Links)-1) > c.current || c.sendEpoch > c.current {
		return bad("links")
	}
	c.links = make([]link, len(p.Links))
	for i, l := range p.Links {
		if l.Send == nil || l.Recv == nil {
			return bad("link")
		}
		var err error
		if c.links[i].send, err = dirChainFromProto(l.Send); err != nil {
			return chain{}, err
		}
		if c.links[i].recv, err = dirChainFromProto(l.Recv); err != nil {
			return chain{}, err
		}
	}
	return c, nil
}

func dirChainFromProto(p *pb.SPQRDirectionChain) (dirChain, error) {
	d := dirChain{counter: p.Counter}
	switch len(p.Next) {
	case 0:
	case 32:
		copy(d.next[:], p.Next)
		d.usable = true
	default:
		return d, fmt.Errorf("%w: chain key", ErrCorruptState)
	}
	if len(p.Skipped)%36 != 0 || len(p.Skipped)/36 > trimSize+MaxJump {
		return d, fmt.Errorf("%w: skipped keys", ErrCorruptState)
	}
	for b := p.Skipped; len(b) > 0; b = b[36:] {
		var e keyEntry
		e.index = binary.BigEndian.Uint32(b)
		copy(e.key[:], b[4:36])
		d.prev = append(d.prev, e)
	}
	return d, nil
}

// phaseLayout lists, per kind, the sizes of the fields that must be set
// (0: must be empty) and the encoder/decoder message sizes.
type phaseLayout struct {
	seed, ek, hdr, es, ct1 int
	enc, dec               int
}

// layoutOf returns the layout of kind k, or false for an unknown kind.
func layoutOf(k kind) (phaseLayout, bool) {
	switch k {
	case keysUnsampled:
		return phaseLayout{}, true
	case keysSampled:
		return phaseLayout{seed: mlkem768.SeedSize, ek: mlkem768.EncapsulationKeySize, enc: hdrMsgSize}, true
	case headerSent:
		return phaseLayout{seed: mlkem768.SeedSize, enc: mlkem768.EncapsulationKeySize, dec: mlkem768.Ciphertext1Size}, true
	case ct1Received:
		return phaseLayout{seed: mlkem768.SeedSize, ct1: mlkem768.Ciphertext1Size, enc: mlkem768.EncapsulationKeySize}, true
	case ekSentCt1Received:
		return phaseLayout{seed: mlkem768.SeedSize, ct1: mlkem768.Ciphertext1Size, dec: ct2MsgSize}, true
	case noHeaderReceived:
		return phaseLayout{dec: hdrMsgSize}, true
	case headerReceived:
		return phaseLayout{hdr: mlkem768.HeaderSize, dec: mlkem768.EncapsulationKeySize}, true
	case ct1Sampled:
		return phaseLayout{hdr: mlkem768.HeaderSize, es: mlkem768.StateSize, ct1: mlkem768.Ciphertext1Size, enc: mlkem768.Ciphertext1Size, dec: mlkem768.EncapsulationKeySize}, true
	case ekReceivedCt1Sampled:
		return phaseLayout{ek: mlkem768.EncapsulationKeySize, es: mlkem768.StateSize, ct1: mlkem768.Ciphertext1Size, enc: mlkem768.Ciphertext1Size}, true
	case ct1Acknowledged:
		return phaseLayout{hdr: mlkem768.HeaderSize, es: mlkem768.StateSize, ct1: mlkem768.Ciphertext1Size, dec: mlkem768.EncapsulationKeySize}, true
	case ct2Sampled:
		return phaseLayout{enc: ct2MsgSize}, true
	}
	return phaseLayout{}, false
}

func phaseFromProto(p *pb.SPQRPhase) (phase, error) {
	bad := func(what string) (phase, error) { return phase{}, fmt.Errorf("%w: phase %s", ErrCorruptState, what) }
	l, ok := layoutOf(kind(p.Kind))
	if !ok || p.Epoch == 0 {
		return bad("kind")
	}
	if len(p.AuthRoot) != 32 || len(p.AuthMac) != 32 {
		return bad("authenticator")
	}
	if len(p.DkSeed) != l.seed || len(p.Ek) != l.ek || len(p.Header) != l.hdr || len(p.EncapsState) != l.es || len(p.Ct1) != l.ct1 {
		return bad("field sizes")
	}
	ph := phase{kind: kind(p.Kind), epoch: p.Epoch}
	copy(ph.auth.root[:], p.AuthRoot)
	copy(ph.auth.mac[:], p.AuthMac)
	nonEmpty := func(b []byte) []byte {
		if len(b) == 0 {
			return nil
		}
		return b
	}
	ph.seed, ph.ek, ph.hdr, ph.es, ph.ct1 = nonEmpty(p.DkSeed), nonEmpty(p.Ek), nonEmpty(p.Header), nonEmpty(p.EncapsState), nonEmpty(p.Ct1)
	if (p.Encoder != nil) != (l.enc != 0) || (p.Decoder != nil) != (l.dec != 0) {
		return bad("coder")
	}
	if l.enc != 0 {
		if len(p.Encoder.Message) != l.enc {
			return bad("encoder")
		}
		e, err := erasure.RestoreEncoder(p.Encoder.Message, p.Encoder.Next)
		if err != nil {
			return bad("encoder")
		}
		ph.enc = e
	}
	if l.dec != 0 {
		if int(p.Decoder.Length) != l.dec || len(p.Decoder.Chunks)%34 != 0 {
			return bad("decoder")
		}
		var chunks []erasure.Chunk
		for b := p.Decoder.Chunks; len(b) > 0; b = b[34:] {
			var c erasure.Chunk
			c.Index = binary.BigEndian.Uint16(b)
			copy(c.Data[:], b[2:34])
			chunks = append(chunks, c)
		}
		d, err := erasure.RestoreDecoder(l.dec, chunks)
		if err != nil {
			return bad("decoder")
		}
		ph.dec = d
	}
	return ph, nil
}
