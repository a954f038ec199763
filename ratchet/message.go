// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package ratchet

import (
	"fmt"
	"io"

	"github.com/crossseal/crossseal/internal/cbc"
	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/wire"
)

// Identities are the two identity keys bound into every message MAC
// (the associated data AD of Double Ratchet section 3.4).
type Identities struct {
	Local, Remote curve.PublicKey
}

// Encrypt is RatchetEncrypt (Double Ratchet section 3.4): it derives the
// next message keys from the sending chain, encrypts plaintext with
// AES-256-CBC, and returns the MACed SignalMessage. It advances the sending
// chain.
func (s *State) Encrypt(plaintext []byte, ids Identities) *wire.SignalMessage {
	seed, next := s.sender.chain.KDF_CK()
	mk := DeriveMessageKeys(&seed, s.sender.chain.Index, nil)
	clear(seed[:])
	msg := wire.NewSignalMessage(&wire.SignalMessage{
		Version:         s.Version,
		RatchetKey:      s.sender.public,
		Counter:         mk.Counter,
		PreviousCounter: s.previousCounter,
		Ciphertext:      cbc.Encrypt(mk.CipherKey[:], mk.IV[:], plaintext),
	}, mk.MACKey[:], ids.Local, ids.Remote)
	mk.Clear()
	clear(s.sender.chain.Key[:])
	s.sender.chain = next
	return msg
}

// Decrypt is RatchetDecrypt (Double Ratchet section 3.5). It finds or
// creates (with a DH ratchet step, drawing a new key from rand) the
// receiving chain for the message's ratchet key, derives the message keys,
// verifies the MAC over the message as received, and decrypts.
//
// Decrypt mutates s even when it fails; call it on a [State.Clone] and keep
// the clone only on success. Errors match [ErrInvalidMessage],
// [ErrDuplicateMessage], [ErrTooManySkipped] or [ErrVersionMismatch].
func (s *State) Decrypt(msg *wire.SignalMessage, ids Identities, rand io.Reader) ([]byte, error) {
	if msg.Version != s.Version {
		return nil, fmt.Errorf("%w: message v%d, session v%d", ErrVersionMismatch, msg.Version, s.Version)
	}
	ci := s.receiverChain(msg.RatchetKey)
	if ci < 0 {
		var err error
		if ci, err = s.dhRatchet(msg.RatchetKey, rand); err != nil {
			return nil, err
		}
	}
	mk, err := s.messageKeys(ci, msg.Counter)
	if err != nil {
		return nil, err
	}
	defer mk.Clear()
	if !msg.VerifyMAC(mk.MACKey[:], ids.Remote, ids.Local) {
		return nil, ErrInvalidMessage
	}
	pt, err := cbc.Decrypt(mk.CipherKey[:], mk.IV[:], msg.Ciphertext)
	if err != nil {
		return nil, ErrInvalidMessage
	}
	return pt, nil
}

// dhRatchet is DHRatchet (Double Ratchet section 3.5) as libsignal orders
// it: a receiving chain from DH(our current key, their new key), then a new
// key pair and a sending chain from DH(new key, their new key).
func (s *State) dhRatchet(their curve.PublicKey, rand io.Reader) (int, error) {
	our, err := s.senderPrivate()
	if err != nil {
		return 0, err
	}
	recvRoot, recvCK, err := s.root.KDF_RK(our, their)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrInvalidMessage, err)
	}
	fresh, err := curve.GeneratePrivateKey(rand)
	if err != nil {
		return 0, fmt.Errorf("ratchet: generating ratchet key: %w", err)
	}
	sendRoot, sendCK, err := recvRoot.KDF_RK(fresh, their)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrInvalidMessage, err)
	}
	clear(recvRoot[:])
	ci := s.addReceiverChain(their, recvCK)
	s.previousCounter = 0
	if s.sender.chain.Index > 0 {
		s.previousCounter = s.sender.chain.Index - 1
	}
	clear(s.root[:])
	s.root = sendRoot
	clear(s.sender.private[:])
	clear(s.sender.chain.Key[:])
	s.sender = newSenderChain(fresh, sendCK)
	return ci, nil
}

// messageKeys returns the keys for counter on receiving chain ci: a stored
// skipped key (removed from the store), or the chain advanced to counter
// with the keys it passes stored (SkipMessageKeys, section 3.5).
func (s *State) messageKeys(ci int, counter uint32) (MessageKeys, error) {
	r := &s.receivers[ci]
	if counter < r.chain.Index {
		for i := range r.skipped {
			if r.skipped[i].index == counter {
				mk := DeriveMessageKeys(&r.skipped[i].seed, counter, nil)
				clear(r.skipped[i].seed[:])
				r.skipped = append(r.skipped[:i], r.skipped[i+1:]...)
				return mk, nil
			}
		}
		return MessageKeys{}, &DuplicateError{Counter: counter, Next: r.chain.Index}
	}
	if counter-r.chain.Index > MaxForwardJumps {
		return MessageKeys{}, &SkipError{Counter: counter, Next: r.chain.Index, Limit: MaxForwardJumps}
	}
	// Only the last MaxMessageKeys skipped seeds can be kept: step over the
	// older ones without storing them.
	keepFrom := uint32(0)
	if counter > MaxMessageKeys {
		keepFrom = counter - MaxMessageKeys
	}
	for r.chain.Index < counter {
		seed, next := r.chain.KDF_CK()
		if r.chain.Index >= keepFrom {
			r.skipped = append(r.skipped, skippedKey{index: r.chain.Index, seed: seed})
		}
		clear(r.chain.Key[:])
		r.chain = next
	}
	if over := len(r.skipped) - MaxMessageKeys; over > 0 {
		for i := range over {
			clear(r.skipped[i].seed[:])
		}
		r.skipped = append(r.skipped[:0], r.skipped[over:]...)
	}
	seed, next := r.chain.KDF_CK()
	mk := DeriveMessageKeys(&seed, counter, nil)
	clear(seed[:])
	clear(r.chain.Key[:])
	r.chain = next
	return mk, nil
}
