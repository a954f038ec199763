// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package ratchet

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/internal/wire"
	"google.golang.org/protobuf/proto"
)

// pair builds matching Alice and Bob states as session would after X3DH.
func pair(t *testing.T) (alice, bob *State, ids Identities) {
	t.Helper()
	spk := genKey(t)
	var root RootKey
	root[0] = 7
	ck := ChainKey{Key: [KeySize]byte{9}}
	var err error
	alice, err = InitializeAlice(3, root, ck, spk.PublicKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	bob = InitializeBob(3, root, ck, spk)
	return alice, bob, Identities{Local: genKey(t).PublicKey(), Remote: genKey(t).PublicKey()}
}

func genKey(t *testing.T) *curve.PrivateKey {
	t.Helper()
	k, err := curve.GeneratePrivateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func flip(ids Identities) Identities { return Identities{Local: ids.Remote, Remote: ids.Local} }

func TestConversation(t *testing.T) {
	alice, bob, ids := pair(t)
	for i := range 30 {
		from, to, fid := alice, bob, ids
		if i%4 >= 2 {
			from, to, fid = bob, alice, flip(ids)
		}
		pt := []byte(fmt.Sprint("msg ", i))
		got, err := to.Clone().Decrypt(mustEncrypt(from, pt, fid), flip(fid), nil)
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if !bytes.Equal(got, pt) {
			t.Fatalf("message %d: got %q", i, got)
		}
		// Decrypt on the real state too, so the conversation advances.
		_ = mustDecrypt(t, to, mustEncrypt(from, pt, fid), flip(fid))
	}
}

func mustDecrypt(t *testing.T, s *State, m *wire.SignalMessage, ids Identities) []byte {
	t.Helper()
	pt, err := s.Decrypt(m, ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	return pt
}

func TestReceiverChainLimit(t *testing.T) {
	alice, bob, ids := pair(t)
	// Keep one message from each of alice's first chains undelivered.
	var late []*wire.SignalMessage
	for range MaxReceiverChains + 1 {
		late = append(late, mustEncrypt(alice, []byte("late"), ids))
		mustDecrypt(t, bob, mustEncrypt(alice, []byte("x"), ids), flip(ids))
		mustDecrypt(t, alice, mustEncrypt(bob, []byte("y"), flip(ids)), ids)
	}
	if n := bob.ReceiverChains(); n != MaxReceiverChains {
		t.Fatalf("bob keeps %d receiver chains, want %d", n, MaxReceiverChains)
	}
	// The oldest chain was dropped: its late message starts a new DH step
	// against the wrong key and fails; the newest late one still decrypts.
	if _, err := bob.Clone().Decrypt(late[0], flip(ids), nil); !errors.Is(err, ErrInvalidMessage) {
		t.Fatalf("message on dropped chain: %v", err)
	}
	mustDecrypt(t, bob, late[len(late)-1], flip(ids))
}

func TestSkippedKeysCapped(t *testing.T) {
	alice, bob, ids := pair(t)
	first := mustEncrypt(alice, []byte("first"), ids)
	for range MaxMessageKeys + 10 {
		mustEncrypt(alice, nil, ids)
	}
	mustDecrypt(t, bob, mustEncrypt(alice, []byte("last"), ids), flip(ids))
	if n := bob.SkippedKeys(); n != MaxMessageKeys {
		t.Fatalf("stored %d skipped keys, want %d", n, MaxMessageKeys)
	}
	// The very first message fell out of the window.
	if _, err := bob.Clone().Decrypt(first, flip(ids), nil); !errors.Is(err, ErrDuplicateMessage) {
		t.Fatalf("message beyond the skipped-key window: %v", err)
	}
}

func TestSkipLimit(t *testing.T) {
	alice, bob, ids := pair(t)
	alice.sender.chain.Index = MaxForwardJumps + 1
	m := mustEncrypt(alice, []byte("too far"), ids)
	_, err := bob.Decrypt(m, flip(ids), nil)
	var se *SkipError
	if !errors.Is(err, ErrTooManySkipped) || !errors.As(err, &se) || se.Limit != MaxForwardJumps {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), "limit 25000") {
		t.Fatalf("error text %q", err)
	}
}

func TestVersionMismatch(t *testing.T) {
	alice, bob, ids := pair(t)
	alice.Version = 4
	if err := alice.StartPQ(make([]byte, 32), true); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Decrypt(mustEncrypt(alice, []byte("x"), ids), flip(ids), nil); !errors.Is(err, ErrVersionMismatch) {
		t.Fatalf("got %v", err)
	}
}

func TestProtoRoundTrip(t *testing.T) {
	alice, bob, ids := pair(t)
	mustEncrypt(alice, nil, ids)
	mustDecrypt(t, bob, mustEncrypt(alice, []byte("x"), ids), flip(ids))
	for _, s := range []*State{alice, bob} {
		var p pb.SessionState
		s.ToProto(&p)
		back, err := FromProto(&p)
		if err != nil {
			t.Fatal(err)
		}
		var p2 pb.SessionState
		back.ToProto(&p2)
		if !proto.Equal(&p, &p2) {
			t.Fatal("ToProto/FromProto round trip differs")
		}
		// AppendProto writes the same fields 4-7 as ToProto.
		p.SessionVersion, p2.SessionVersion = 0, 0
		want, _ := proto.MarshalOptions{Deterministic: true}.Marshal(&p)
		if got := s.AppendProto(nil); !bytes.Equal(got, want) {
			t.Fatalf("AppendProto differs from generated encoding")
		}
		if len(s.AppendProto(nil)) > s.ProtoSize() {
			t.Fatal("ProtoSize is not an upper bound")
		}
	}
}

func TestFromProtoRejectsCorrupt(t *testing.T) {
	alice, bob, ids := pair(t)
	mustDecrypt(t, bob, mustEncrypt(alice, []byte("x"), ids), flip(ids))
	mustEncrypt(alice, nil, ids)
	mustDecrypt(t, bob, mustEncrypt(alice, []byte("y"), ids), flip(ids)) // one skipped key
	var good pb.SessionState
	bob.ToProto(&good)
	mods := map[string]func(*pb.SessionState){
		"version 2":          func(p *pb.SessionState) { p.SessionVersion = 2 },
		"short root":         func(p *pb.SessionState) { p.RootKey = p.RootKey[:31] },
		"no sender":          func(p *pb.SessionState) { p.SenderChain = nil },
		"short private":      func(p *pb.SessionState) { p.SenderChain.RatchetPrivate = nil },
		"bad sender pub":     func(p *pb.SessionState) { p.SenderChain.RatchetPublic[0] = 6 },
		"short chain key":    func(p *pb.SessionState) { p.ReceiverChains[0].ChainKey = []byte{1} },
		"skipped not behind": func(p *pb.SessionState) { p.ReceiverChains[0].Skipped[0].Index = p.ReceiverChains[0].Index },
		"short seed":         func(p *pb.SessionState) { p.ReceiverChains[0].Skipped[0].Seed = nil },
		"too many chains": func(p *pb.SessionState) {
			for len(p.ReceiverChains) <= MaxReceiverChains {
				p.ReceiverChains = append(p.ReceiverChains, p.ReceiverChains[0])
			}
		},
		"too many skipped": func(p *pb.SessionState) {
			rc := p.ReceiverChains[0]
			for len(rc.Skipped) <= MaxMessageKeys {
				rc.Skipped = append(rc.Skipped, rc.Skipped[0])
			}
		},
	}
	for name, mod := range mods {
		t.Run(name, func(t *testing.T) {
			p := proto.Clone(&good).(*pb.SessionState)
			mod(p)
			if s, err := FromProto(p); !errors.Is(err, ErrCorruptState) || s != nil {
				t.Fatalf("got %v, %v", s, err)
			}
		})
	}
}

func TestFormattingHidesSecrets(t *testing.T) {
	alice, _, _ := pair(t)
	secrets := [][]byte{alice.root[:], alice.sender.private[:], alice.sender.chain.Key[:]}
	mk := DeriveMessageKeys(&[KeySize]byte{1}, 3, nil)
	secrets = append(secrets, mk.CipherKey[:], mk.MACKey[:])
	values := []any{alice, *alice, alice.root, alice.sender.chain, mk, &mk}
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%d", "%q"} {
			out := fmt.Sprintf(verb, v)
			for _, s := range secrets {
				if strings.Contains(strings.ToLower(out), hex.EncodeToString(s)) || strings.Contains(out, fmt.Sprint(s)) || strings.Contains(out, fmt.Sprintf("%d", s[:4])[1:8]) {
					t.Errorf("%s of %T reveals a secret: %s", verb, v, out)
				}
			}
		}
	}
}

// mustEncrypt is State.Encrypt for tests of v3 sessions, which never fail.
func mustEncrypt(s *State, pt []byte, ids Identities) *wire.SignalMessage {
	m, err := s.Encrypt(pt, ids, nil)
	if err != nil {
		panic(err)
	}
	return m
}
