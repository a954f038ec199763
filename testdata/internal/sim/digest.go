// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sim

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/ratchet"
	"github.com/crossseal/crossseal/testdata"
)

// RatchetDigest runs conversations seeded Double Ratchet conversations of
// steps steps each, directly on ratchet.State, and returns the SHA-256 of
// everything they sent and received. All randomness, including every
// choice of what happens next, comes from one testdata.Stream of seed, in
// this order (README.md, "ratchet-digest", is the normative description):
//
// For each conversation: root key (32 bytes), chain key (32), Alice's and
// Bob's identity keys (32 each, raw X25519 u-coordinates, used only as MAC
// inputs), Bob's signed prekey (32, a private key), Alice's first ratchet
// key (32). Then Alice = InitializeAliceWithKey and Bob = InitializeBob.
// Then for each step two bytes op, arg:
//
//	op%8 = 0, 1: Alice sends; 2, 3: Bob sends. The plaintext is
//	    "conversation <i> step <s>" and the digest absorbs
//	    "send" ‖ party ‖ len32 ‖ body.
//	op%8 = 4, 5: deliver pending[arg % n] (removing it from pending).
//	op%8 = 6: drop pending[arg % n].
//	op%8 = 7: if arg is odd, deliver again delivered[(arg>>1) % d];
//	    otherwise read one more byte b and deliver a copy of
//	    pending[(arg>>1) % n] with byte b % len(body) XORed with 0x01
//	    (the original stays pending).
//
// (n, d: the number of pending and delivered messages; a step that needs
// one when there is none does nothing more.) A delivery parses the
// message, decrypts it on a Clone of the receiver's state, drawing any new
// ratchet key from the stream, and keeps the clone only on success; the
// digest absorbs "recv" ‖ party ‖ len32 ‖ outcome ‖ len32 ‖ plaintext,
// where outcome is the vector "expect" value of the result. party is the
// byte 'A' or 'B'; len32 is a big-endian uint32 length.
func RatchetDigest(seed []byte, conversations, steps int) ([32]byte, error) {
	r := testdata.NewStream(seed)
	h := sha256.New()
	for i := range conversations {
		if err := digestConversation(r, h, i, steps); err != nil {
			return [32]byte{}, fmt.Errorf("sim: conversation %d: %w", i, err)
		}
	}
	return [32]byte(h.Sum(nil)), nil
}

type digestMessage struct {
	to   int // receiver: 0 Alice, 1 Bob
	body []byte
}

func digestConversation(r *testdata.Stream, h hash.Hash, conv, steps int) error {
	var root ratchet.RootKey
	var ck ratchet.ChainKey
	r.Read(root[:])
	r.Read(ck.Key[:])
	idA, err := curve.NewPublicKeyRaw(r.Bytes(32))
	if err != nil {
		return err
	}
	idB, err := curve.NewPublicKeyRaw(r.Bytes(32))
	if err != nil {
		return err
	}
	spk, err := curve.GeneratePrivateKey(r)
	if err != nil {
		return err
	}
	first, err := curve.GeneratePrivateKey(r)
	if err != nil {
		return err
	}
	alice, err := ratchet.InitializeAliceWithKey(wire.VersionV3, root, ck, spk.PublicKey(), first)
	if err != nil {
		return err
	}
	states := [2]*ratchet.State{alice, ratchet.InitializeBob(wire.VersionV3, root, ck, spk)}
	ids := [2]ratchet.Identities{{Local: idA, Remote: idB}, {Local: idB, Remote: idA}}
	names := [2]byte{'A', 'B'}
	var pending, delivered []digestMessage

	deliver := func(m digestMessage) {
		outcome, pt := testdata.ExpectParseFailure, []byte(nil)
		if msg, err := wire.ParseSignalMessage(m.body); err == nil {
			c := states[m.to].Clone()
			pt, err = c.Decrypt(msg, ids[m.to], r)
			if err == nil {
				states[m.to] = c
			} else {
				c.Wipe()
			}
			outcome = Classify(err)
		}
		h.Write([]byte("recv"))
		h.Write([]byte{names[m.to]})
		writeLen(h, []byte(outcome))
		writeLen(h, pt)
	}

	for s := range steps {
		op, arg := r.Bytes(1)[0]%8, int(r.Bytes(1)[0])
		switch {
		case op < 4:
			from := int(op / 2)
			body := mustEncrypt(states[from], fmt.Appendf(nil, "conversation %d step %d", conv, s), ids[from]).Bytes()
			pending = append(pending, digestMessage{to: 1 - from, body: body})
			h.Write([]byte("send"))
			h.Write([]byte{names[from]})
			writeLen(h, body)
		case op < 7:
			if len(pending) == 0 {
				continue
			}
			i := arg % len(pending)
			m := pending[i]
			pending = append(pending[:i], pending[i+1:]...)
			if op < 6 {
				deliver(m)
				delivered = append(delivered, m)
			}
		case arg%2 == 1:
			if len(delivered) > 0 {
				deliver(delivered[(arg>>1)%len(delivered)])
			}
		default:
			if len(pending) == 0 {
				continue
			}
			m := pending[(arg>>1)%len(pending)]
			body := bytes.Clone(m.body)
			body[int(r.Bytes(1)[0])%len(body)] ^= 0x01
			deliver(digestMessage{to: m.to, body: body})
		}
	}
	return nil
}

func writeLen(h hash.Hash, b []byte) {
	h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(b))))
	h.Write(b)
}

// mustEncrypt is ratchet.State.Encrypt for v3 sessions, which never fail.
func mustEncrypt(s *ratchet.State, pt []byte, ids ratchet.Identities) *wire.SignalMessage {
	m, err := s.Encrypt(pt, ids, nil)
	if err != nil {
		panic(err)
	}
	return m
}
