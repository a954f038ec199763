// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package ratchet

import (
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/crossseal/crossseal/internal/cbc"
	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/spqr"
	"github.com/crossseal/crossseal/internal/wire"
)

// Identities are the two identity keys bound into every message MAC
// (the associated data AD of Double Ratchet section 3.4) and, in v4, the
// two devices' addresses.
type Identities struct {
	Local, Remote curve.PublicKey
	// LocalAddress and RemoteAddress are the devices' fixed-width
	// addresses ([AddressSize] bytes, see [EncodeAddress]), or nil when the
	// names are not service ids. A v4 message sent with both carries
	// LocalAddress ‖ RemoteAddress (SignalMessage field 6); a received one
	// that carries addresses must carry RemoteAddress ‖ LocalAddress.
	LocalAddress, RemoteAddress []byte
}

// Encrypt is RatchetEncrypt (Double Ratchet section 3.4): it derives the
// next message keys from the sending chain, encrypts plaintext with
// AES-256-CBC, and returns the MACed SignalMessage. It advances the sending
// chain. In a v4 session it first advances SPQR (drawing from rand), puts
// the SPQR message in the SignalMessage and salts the message keys with
// SPQR's key. On error s is unchanged.
func (s *State) Encrypt(plaintext []byte, ids Identities, rand io.Reader) (*wire.SignalMessage, error) {
	var pqMsg []byte
	var pqKey [spqr.KeySize]byte
	var salt []byte
	if s.Version >= 4 {
		if s.pq == nil {
			return nil, fmt.Errorf("%w: v4 session without SPQR", ErrCorruptState)
		}
		// SPQR.Send leaves s.pq unchanged on error, and nothing below fails.
		var err error
		if pqMsg, pqKey, err = s.pq.Send(rand); err != nil {
			return nil, fmt.Errorf("ratchet: post-quantum ratchet: %w", err)
		}
		salt = pqKey[:]
	}
	seed, next := s.sender.chain.KDF_CK()
	mk := DeriveMessageKeys(&seed, s.sender.chain.Index, salt)
	clear(seed[:])
	clear(pqKey[:])
	m := &wire.SignalMessage{
		Version:         s.Version,
		RatchetKey:      s.sender.public,
		Counter:         mk.Counter,
		PreviousCounter: s.previousCounter,
		Ciphertext:      cbc.Encrypt(mk.CipherKey[:], mk.IV[:], plaintext),
		PQRatchet:       pqMsg,
	}
	if s.Version >= 4 && ids.LocalAddress != nil && ids.RemoteAddress != nil {
		m.Addresses = append(slices.Clip(ids.LocalAddress), ids.RemoteAddress...)
	}
	msg := wire.NewSignalMessage(m, mk.MACKey[:], ids.Local, ids.Remote)
	mk.Clear()
	clear(s.sender.chain.Key[:])
	s.sender.chain = next
	return msg, nil
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
		return nil, fmt.Errorf("%w: %w: message v%d, session v%d", ErrInvalidMessage, ErrVersionMismatch, msg.Version, s.Version)
	}
	ci := s.receiverChain(msg.RatchetKey)
	if ci < 0 {
		var err error
		if ci, err = s.dhRatchet(msg.RatchetKey, rand); err != nil {
			return nil, err
		}
	}
	seed, err := s.messageSeed(ci, msg.Counter)
	if err != nil {
		return nil, err
	}
	var salt []byte
	var pqKey [spqr.KeySize]byte
	if s.Version >= 4 {
		if s.pq == nil {
			clear(seed[:])
			return nil, fmt.Errorf("%w: v4 session without SPQR", ErrCorruptState)
		}
		if pqKey, err = s.pq.RecvInPlace(msg.PQRatchet); err != nil {
			clear(seed[:])
			return nil, fmt.Errorf("%w: post-quantum ratchet: %w", ErrInvalidMessage, err)
		}
		salt = pqKey[:]
	}
	mk := DeriveMessageKeys(&seed, msg.Counter, salt)
	clear(seed[:])
	clear(pqKey[:])
	defer mk.Clear()
	if !msg.VerifyMAC(mk.MACKey[:], ids.Remote, ids.Local) {
		return nil, ErrInvalidMessage
	}
	if msg.Addresses != nil {
		// libsignal accepts a message without addresses (older senders)
		// but one that names other devices, or names devices when ours
		// are not service ids, is not for this session.
		if ids.LocalAddress == nil || ids.RemoteAddress == nil || len(msg.Addresses) != 2*AddressSize ||
			subtle.ConstantTimeCompare(msg.Addresses[:AddressSize], ids.RemoteAddress) != 1 ||
			subtle.ConstantTimeCompare(msg.Addresses[AddressSize:], ids.LocalAddress) != 1 {
			return nil, fmt.Errorf("%w: addressed to other devices", ErrInvalidMessage)
		}
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

// messageSeed returns the message-key seed for counter on receiving chain
// ci: a stored skipped seed (removed from the store), or the chain advanced
// to counter with the seeds it passes stored (SkipMessageKeys, section
// 3.5).
func (s *State) messageSeed(ci int, counter uint32) ([KeySize]byte, error) {
	r := &s.receivers[ci]
	if counter < r.chain.Index {
		for i := range r.skipped {
			if r.skipped[i].index == counter {
				seed := r.skipped[i].seed
				clear(r.skipped[i].seed[:])
				r.skipped = append(r.skipped[:i], r.skipped[i+1:]...)
				return seed, nil
			}
		}
		return [KeySize]byte{}, &DuplicateError{Counter: counter, Next: r.chain.Index}
	}
	if counter-r.chain.Index > MaxForwardJumps {
		return [KeySize]byte{}, &SkipError{Counter: counter, Next: r.chain.Index, Limit: MaxForwardJumps}
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
	clear(r.chain.Key[:])
	r.chain = next
	return seed, nil
}

// AddressSize is the size of one device's address in the v4 address
// binding: a service id in its fixed-width binary form (a type byte, 0x00
// for an ACI and 0x01 for a PNI, then the 16-byte UUID) and the device id
// as one byte.
const AddressSize = 18

// EncodeAddress returns the fixed-width address of device deviceID of the
// account named name, if name is a service id as libsignal writes it (a
// UUID in canonical text form for an ACI, or "PNI:" and a UUID), and nil
// otherwise (the binding is then omitted, as libsignal does). Device ids
// above 255 have no binding either.
func EncodeAddress(name string, deviceID uint32) []byte {
	kind := byte(0)
	if rest, ok := strings.CutPrefix(name, "PNI:"); ok {
		kind, name = 1, rest
	}
	if deviceID > 255 || len(name) != 36 {
		return nil
	}
	out := make([]byte, 0, AddressSize)
	out = append(out, kind)
	var b [16]byte
	hexPart := strings.ReplaceAll(name, "-", "")
	if len(hexPart) != 32 || name[8] != '-' || name[13] != '-' || name[18] != '-' || name[23] != '-' {
		return nil
	}
	if _, err := hex.Decode(b[:], []byte(hexPart)); err != nil {
		return nil
	}
	out = append(out, b[:]...)
	return append(out, byte(deviceID))
}
