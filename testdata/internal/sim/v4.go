// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sim

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/kem"
	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/ratchet"
	"github.com/crossseal/crossseal/x3dh"
	"google.golang.org/protobuf/encoding/protowire"
)

// Party names of a v4 session.
const (
	V4Initiator = "alice"
	V4Responder = "bob"
)

// Message types of a v4 session, as session numbers them.
const (
	TypeWhisper = 2 // a SignalMessage
	TypePreKey  = 3 // a PreKeySignalMessage
)

// V4Keys are the keys a v4 session starts from: alice's identity, base
// and first ratchet keys, and bob's identity, signed, one-time and KEM
// prekeys.
type V4Keys struct {
	IdentityA, IdentityB *curve.PrivateKey
	RegistrationIDA      uint32

	SignedPreKeyID        uint32
	SignedPreKey          *curve.PrivateKey
	SignedPreKeySignature []byte

	// PreKey is the one-time prekey PreKeyID, or nil if none is used.
	PreKeyID uint32
	PreKey   *curve.PrivateKey

	KEMPreKey  x3dh.KEMPreKey
	KEMPrivate *kem.PrivateKey

	BaseA, RatchetKeyA *curve.PrivateKey

	// AddressA and AddressB are the devices' addresses (ratchet.AddressSize
	// bytes each) bound into every message, or nil for no binding.
	AddressA, AddressB []byte
}

// V4Session is a protocol v4 session between alice (the initiator) and
// bob, run directly on x3dh and ratchet the way package session runs it:
// alice starts with PQXDH (x3dh.InitiatePQ), ratchet.InitializeAliceWithKey
// and StartPQ, and wraps every message in a PreKeySignalMessage (with the
// KEM prekey id and ciphertext) until she has decrypted one from bob; bob
// starts his state from the first PreKeySignalMessage he decrypts
// (x3dh.RespondPQ, ratchet.InitializeBob, StartPQ). Every decryption runs
// on a clone of the receiver's state, kept only on success. Messages are
// numbered from 0 in the order sent.
type V4Session struct {
	keys     V4Keys
	prekey   wire.PreKeySignalMessage // the fields of alice's PreKeySignalMessages, Message unset
	alice    *ratchet.State
	bob      *ratchet.State // nil until bob decrypts alice's first message
	pending  bool           // alice still sends PreKeySignalMessages
	messages []V4Message
}

// V4Message is one sent message of a v4 session.
type V4Message struct {
	From, To string
	Type     int // TypePreKey or TypeWhisper
	Body     []byte
}

// StartV4 runs PQXDH as alice, drawing the KEM encapsulation randomness
// from kemRand, and starts her state. It returns the session and the KEM
// ciphertext (type byte ‖ ciphertext) her PreKeySignalMessages carry.
func StartV4(k V4Keys, kemRand io.Reader) (*V4Session, []byte, error) {
	if k.IdentityA == nil || k.IdentityB == nil || k.SignedPreKey == nil || k.BaseA == nil || k.RatchetKeyA == nil {
		return nil, nil, errors.New("sim: a v4 session needs alice's and bob's keys")
	}
	b := &x3dh.Bundle{
		RegistrationID: 1, DeviceID: DeviceID,
		IdentityKey:           k.IdentityB.PublicKey(),
		SignedPreKeyID:        k.SignedPreKeyID,
		SignedPreKey:          k.SignedPreKey.PublicKey(),
		SignedPreKeySignature: k.SignedPreKeySignature,
	}
	if k.PreKey != nil {
		b.HasPreKey, b.PreKeyID, b.PreKey = true, k.PreKeyID, k.PreKey.PublicKey()
	}
	ss, ct, err := x3dh.InitiatePQ(x3dh.InitiatorParameters{OurIdentity: k.IdentityA, OurBase: k.BaseA, Bundle: b}, k.KEMPreKey, kemRand)
	if err != nil {
		return nil, nil, err
	}
	defer ss.Clear()
	alice, err := ratchet.InitializeAliceWithKey(4, ratchet.RootKey(ss.RootKey), ratchet.ChainKey{Key: ss.ChainKey}, b.SignedPreKey, k.RatchetKeyA)
	if err != nil {
		return nil, nil, err
	}
	if err := alice.StartPQ(ss.PQRatchetKey[:], true); err != nil {
		return nil, nil, err
	}
	s := &V4Session{keys: k, alice: alice, pending: true}
	s.prekey = wire.PreKeySignalMessage{
		Version: 4, RegistrationID: k.RegistrationIDA,
		HasPreKeyID: b.HasPreKey, PreKeyID: b.PreKeyID, SignedPreKeyID: b.SignedPreKeyID,
		HasKyberPreKeyID: true, KyberPreKeyID: k.KEMPreKey.ID, KyberCiphertext: ct,
		BaseKey: k.BaseA.PublicKey(), IdentityKey: k.IdentityA.PublicKey(),
	}
	return s, bytes.Clone(ct), nil
}

// identities returns what party's messages bind.
func (s *V4Session) identities(party string) ratchet.Identities {
	a, b := s.keys.IdentityA.PublicKey(), s.keys.IdentityB.PublicKey()
	if party == V4Initiator {
		return ratchet.Identities{Local: a, Remote: b, LocalAddress: s.keys.AddressA, RemoteAddress: s.keys.AddressB}
	}
	return ratchet.Identities{Local: b, Remote: a, LocalAddress: s.keys.AddressB, RemoteAddress: s.keys.AddressA}
}

func peerOf(party string) (string, error) {
	switch party {
	case V4Initiator:
		return V4Responder, nil
	case V4Responder:
		return V4Initiator, nil
	}
	return "", fmt.Errorf("sim: unknown v4 party %q", party)
}

// Send encrypts plaintext from party to the other, drawing the SPQR
// randomness from rand, and returns the message and its number.
func (s *V4Session) Send(party string, plaintext []byte, rand io.Reader) (int, V4Message, error) {
	to, err := peerOf(party)
	if err != nil {
		return 0, V4Message{}, err
	}
	st := s.alice
	if party == V4Responder {
		st = s.bob
	}
	if st == nil {
		return 0, V4Message{}, errors.New("sim: bob has no session yet")
	}
	msg, err := st.Encrypt(plaintext, s.identities(party), rand)
	if err != nil {
		return 0, V4Message{}, err
	}
	m := V4Message{From: party, To: to, Type: TypeWhisper, Body: msg.Bytes()}
	if party == V4Initiator && s.pending {
		pk := s.prekey
		pk.Message = msg
		m.Type, m.Body = TypePreKey, wire.NewPreKeySignalMessage(&pk).Bytes()
	}
	s.messages = append(s.messages, m)
	return len(s.messages) - 1, m, nil
}

// RejectionSecret returns the implicit rejection secret of the
// decapsulation key party's SPQR state keeps, or nil if it keeps none (see
// [SPQRRun.RejectionSecret]).
func (s *V4Session) RejectionSecret(party string) ([]byte, error) {
	st := s.alice
	if party == V4Responder {
		st = s.bob
	}
	if st == nil {
		return nil, errors.New("sim: bob has no session yet")
	}
	b := st.AppendPQProto(nil)
	_, typ, n := protowire.ConsumeTag(b)
	if n < 0 || typ != protowire.BytesType {
		return nil, errors.New("sim: no SPQR state in a v4 session")
	}
	state, n := protowire.ConsumeBytes(b[n:])
	if n < 0 {
		return nil, errors.New("sim: no SPQR state in a v4 session")
	}
	return rejectionSecret(state)
}

// Message returns message number i, which must exist.
func (s *V4Session) Message(i int) V4Message { return s.messages[i] }

// Deliver makes party decrypt message number index, drawing any new
// ratchet key from rand. If tamperOffset is not nil, the byte at that
// offset is XORed with 0x01 first. It returns the plaintext and the
// library's error (decryptErr), and a non-nil err only if the step could
// not run.
func (s *V4Session) Deliver(party string, index int, tamperOffset *int, rand io.Reader) (plaintext []byte, decryptErr, err error) {
	if _, err := peerOf(party); err != nil {
		return nil, nil, err
	}
	if index < 0 || index >= len(s.messages) {
		return nil, nil, fmt.Errorf("sim: no message %d", index)
	}
	m := s.messages[index]
	if m.To != party {
		return nil, nil, fmt.Errorf("sim: message %d is from %s to %s", index, m.From, m.To)
	}
	body := bytes.Clone(m.Body)
	if tamperOffset != nil {
		if *tamperOffset < 0 || *tamperOffset >= len(body) {
			return nil, nil, fmt.Errorf("sim: tamper offset %d outside message %d", *tamperOffset, index)
		}
		body[*tamperOffset] ^= 0x01
	}
	ids := s.identities(party)
	var st *ratchet.State
	var signal *wire.SignalMessage
	if m.Type == TypePreKey {
		pk, err := wire.ParsePreKeySignalMessage(body)
		if err != nil {
			return nil, err, nil
		}
		signal = pk.Message
		if st, err = s.respond(pk); err != nil {
			return nil, err, nil
		}
	} else {
		if signal, err = wire.ParseSignalMessage(body); err != nil {
			return nil, err, nil
		}
		if party == V4Initiator {
			st = s.alice.Clone()
		} else if s.bob != nil {
			st = s.bob.Clone()
		} else {
			return nil, errors.New("sim: bob has no session for a SignalMessage"), nil
		}
	}
	pt, err := st.Decrypt(signal, ids, rand)
	if err != nil {
		return nil, err, nil
	}
	if party == V4Initiator {
		s.alice, s.pending = st, false
	} else {
		s.bob = st
	}
	return pt, nil, nil
}

// respond returns the state bob decrypts a PreKeySignalMessage with: a
// clone of his session if he has one with this base key, or a new one
// from PQXDH.
func (s *V4Session) respond(pk *wire.PreKeySignalMessage) (*ratchet.State, error) {
	k := s.keys
	if pk.Version != 4 || !pk.HasKyberPreKeyID {
		return nil, fmt.Errorf("%w: not a v4 PreKeySignalMessage", wire.ErrUnsupportedVersion)
	}
	if !pk.IdentityKey.Equal(k.IdentityA.PublicKey()) || !pk.BaseKey.Equal(k.BaseA.PublicKey()) {
		return nil, errors.New("sim: a PreKeySignalMessage from another identity or base key")
	}
	if s.bob != nil {
		return s.bob.Clone(), nil
	}
	if pk.SignedPreKeyID != k.SignedPreKeyID || pk.KyberPreKeyID != k.KEMPreKey.ID ||
		pk.HasPreKeyID != (k.PreKey != nil) || (pk.HasPreKeyID && pk.PreKeyID != k.PreKeyID) {
		return nil, errors.New("sim: a PreKeySignalMessage naming unknown prekeys")
	}
	ss, err := x3dh.RespondPQ(x3dh.ResponderParameters{
		OurIdentity: k.IdentityB, OurSignedPreKey: k.SignedPreKey, OurOneTimePreKey: k.PreKey,
		TheirIdentity: pk.IdentityKey, TheirBase: pk.BaseKey,
	}, k.KEMPrivate, pk.KyberCiphertext)
	if err != nil {
		return nil, err
	}
	defer ss.Clear()
	bob := ratchet.InitializeBob(4, ratchet.RootKey(ss.RootKey), ratchet.ChainKey{Key: ss.ChainKey}, k.SignedPreKey)
	if err := bob.StartPQ(ss.PQRatchetKey[:], false); err != nil {
		return nil, err
	}
	return bob, nil
}
