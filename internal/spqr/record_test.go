// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package spqr

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/crossseal/crossseal/internal/pb"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// The reference encoding: the state as the generated pb.SPQRState,
// marshalled by the protobuf library. The hand encoder of record.go must
// produce exactly these bytes.

func (s *State) toProto() *pb.SPQRState {
	return &pb.SPQRState{Version: stateVersion, Direction: uint32(s.dir), Chain: s.chain.toProto(), Phase: s.ph.toProto()}
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

// checkEncoding fails t unless Marshal, AppendField and SizeHint agree
// with the generated code's deterministic encoding of s.
func checkEncoding(t *testing.T, s *State) {
	t.Helper()
	want, err := proto.MarshalOptions{Deterministic: true}.Marshal(s.toProto())
	if err != nil {
		t.Fatal(err)
	}
	got := s.Marshal()
	if !bytes.Equal(got, want) {
		t.Fatalf("phase %d: hand encoding differs from the generated code's\n got %x\nwant %x", s.ph.kind, got, want)
	}
	prefix := []byte{0xaa, 0xbb}
	field := s.AppendField(prefix, 12)
	wantField := protowire.AppendBytes(protowire.AppendTag([]byte{0xaa, 0xbb}, 12, protowire.BytesType), want)
	if !bytes.Equal(field, wantField) {
		t.Fatalf("AppendField: got %x, want %x", field, wantField)
	}
	if h := s.SizeHint(); h < len(wantField)-len(prefix) {
		t.Fatalf("SizeHint %d < field size %d", h, len(wantField)-len(prefix))
	}
}

// TestEncodingMatchesGenerated: on every state of a random run with bursts,
// loss and reordering (every phase of both parties, skipped keys, partly
// filled decoders, several epochs' links), the hand encoding is byte for
// byte the generated code's.
func TestEncodingMatchesGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	a, b := pair(t)
	var toA, toB []sent
	kinds := map[[2]kind]bool{}
	skipped, chunks := false, false
	check := func(s *State) {
		checkEncoding(t, s)
		kinds[[2]kind{kind(s.dir), s.ph.kind}] = true
		for _, l := range s.chain.links {
			skipped = skipped || len(l.recv.prev) > 0
		}
		chunks = chunks || (s.ph.dec != nil && s.ph.dec.NumChunks() > 0)
	}
	deliver := func(q *[]sent, s *State) {
		if len(*q) == 0 {
			return
		}
		i := r.IntN(len(*q))
		m := (*q)[i]
		*q = append((*q)[:i], (*q)[i+1:]...)
		if r.IntN(8) == 0 {
			return // lost
		}
		// A message that waited too long in the queue may belong to an
		// epoch no longer kept; the others must decrypt.
		k, err := s.Recv(m.msg)
		switch {
		case errors.Is(err, ErrEpoch):
		case err != nil:
			t.Fatalf("Recv: %v", err)
		case k != m.key:
			t.Fatal("keys differ")
		}
	}
	check(a)
	check(b)
	for range 2500 {
		switch r.IntN(4) {
		case 0:
			for range 1 + r.IntN(3) {
				toB = append(toB, send(t, a))
			}
		case 1:
			for range 1 + r.IntN(3) {
				toA = append(toA, send(t, b))
			}
		case 2:
			deliver(&toB, b)
		case 3:
			deliver(&toA, a)
		}
		check(a)
		check(b)
	}
	for k := keysUnsampled; k <= ct2Sampled; k++ {
		if !kinds[[2]kind{kind(A2B), k}] && !kinds[[2]kind{kind(B2A), k}] {
			t.Errorf("phase %d never reached: the run does not cover the encoder", k)
		}
	}
	if !skipped || !chunks {
		t.Errorf("skipped keys seen: %v, decoder chunks seen: %v", skipped, chunks)
	}
	t.Logf("epochs: a %d, b %d; (direction, phase) pairs seen: %d", a.Epoch(), b.Epoch(), len(kinds))
}
