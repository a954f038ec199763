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
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(s.toProto())
	if err != nil {
		panic("crossseal/spqr: internal error: " + err.Error())
	}
	return b
}

func (s *State) toProto() *pb.SPQRState {
	return &pb.SPQRState{Version: stateVersion, Direction: uint32(s.dir), Chain: s.chain.toProto(), Phase: s.ph.toProto()}
}

// AppendField appends s to b as protobuf field num of type bytes (the
// same bytes as [State.Marshal], with tag and length), without an
// intermediate buffer: sessions re-encode their state on every message.
func (s *State) AppendField(b []byte, num protowire.Number) []byte {
	p := s.toProto()
	opts := proto.MarshalOptions{Deterministic: true}
	n := opts.Size(p)
	b = protowire.AppendTag(b, num, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(n))
	b, err := opts.MarshalAppend(slices.Grow(b, n), p)
	if err != nil {
		panic("crossseal/spqr: internal error: " + err.Error())
	}
	return b
}

// SizeHint is an upper bound of the size of [State.Marshal]'s result
// (plus a field header), for sizing buffers.
func (s *State) SizeHint() int {
	n := 128 + len(s.ph.seed) + len(s.ph.ek) + len(s.ph.hdr) + len(s.ph.es) + len(s.ph.ct1)
	if s.ph.enc != nil {
		n += len(s.ph.enc.Message()) + 16
	}
	if s.ph.dec != nil {
		n += s.ph.dec.Length() + 64
	}
	for _, l := range s.chain.links {
		n += 96 + 36*(len(l.send.prev)+len(l.recv.prev))
	}
	return n
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

func (c *chain) toProto() *pb.SPQRChain {
	p := &pb.SPQRChain{CurrentEpoch: c.current, SendEpoch: c.sendEpoch, NextRoot: c.nextRoot[:]}
	p.Links = make([]*pb.SPQRLink, len(c.links))
	for i := range c.links {
		p.Links[i] = &pb.SPQRLink{Send: c.links[i].send.toProto(), Recv: c.links[i].recv.toProto()}
	}
	return p
}

func (d *dirChain) toProto() *pb.SPQRDirectionChain {
	p := &pb.SPQRDirectionChain{Counter: d.counter}
	if d.usable {
		p.Next = d.next[:]
	}
	if len(d.prev) > 0 {
		p.Skipped = make([]byte, 0, 36*len(d.prev))
		for _, e := range d.prev {
			p.Skipped = binary.BigEndian.AppendUint32(p.Skipped, e.index)
			p.Skipped = append(p.Skipped, e.key[:]...)
		}
	}
	return p
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

func (p *phase) toProto() *pb.SPQRPhase {
	out := &pb.SPQRPhase{
		Kind: uint32(p.kind), Epoch: p.epoch,
		AuthRoot: p.auth.root[:], AuthMac: p.auth.mac[:],
		DkSeed: p.seed, Ek: p.ek, Header: p.hdr, EncapsState: p.es, Ct1: p.ct1,
	}
	if p.enc != nil {
		out.Encoder = &pb.SPQREncoder{Message: p.enc.Message(), Next: p.enc.Index()}
	}
	if p.dec != nil {
		d := &pb.SPQRDecoder{Length: uint32(p.dec.Length())}
		for _, c := range p.dec.Chunks() {
			d.Chunks = binary.BigEndian.AppendUint16(d.Chunks, c.Index)
			d.Chunks = append(d.Chunks, c.Data[:]...)
		}
		out.Decoder = d
	}
	return out
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
