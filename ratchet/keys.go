// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package ratchet

import (
	"fmt"

	"github.com/crossseal/crossseal/internal/cbc"
	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/kdf"
)

// KeySize is the size of root and chain keys.
const KeySize = kdf.KeySize

// RootKey is the Double Ratchet root key (RK). It is secret.
type RootKey [KeySize]byte

// ChainKey is a sending or receiving chain key (CK) with the index of the
// next message it will produce. It is secret.
type ChainKey struct {
	Key   [KeySize]byte
	Index uint32
}

// MessageKeys encrypt and authenticate one message. They are secret.
type MessageKeys struct {
	CipherKey [cbc.KeySize]byte
	MACKey    [KeySize]byte
	IV        [cbc.IVSize]byte
	// Counter is the index of the message these keys belong to.
	Counter uint32
}

// String hides the secret.
func (RootKey) String() string { return "ratchet.RootKey{…}" }

// GoString hides the secret.
func (RootKey) GoString() string { return "ratchet.RootKey{…}" }

// Format prints only public data, whatever the verb.
func (k RootKey) Format(f fmt.State, _ rune) { fmt.Fprint(f, k.String()) }

// Format prints only public data, whatever the verb.
func (c ChainKey) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// Format prints only public data, whatever the verb.
func (m MessageKeys) Format(f fmt.State, _ rune) { fmt.Fprint(f, m.String()) }

// String prints only the index.
func (c ChainKey) String() string { return fmt.Sprintf("ratchet.ChainKey{index %d}", c.Index) }

// GoString prints only the index.
func (c ChainKey) GoString() string { return c.String() }

// String prints only the counter.
func (m MessageKeys) String() string {
	return fmt.Sprintf("ratchet.MessageKeys{counter %d}", m.Counter)
}

// GoString prints only the counter.
func (m MessageKeys) GoString() string { return m.String() }

// Clear overwrites the keys.
func (m *MessageKeys) Clear() { *m = MessageKeys{} }

// KDF_RK is the root-key step (Double Ratchet section 3.1, "KDF_RK(rk,
// dh_out)"): it computes dh_out = DH(our, their), then
// HKDF-SHA256(salt = rk, IKM = dh_out, info = "WhisperRatchet") and splits
// the 64 bytes into the next root key and a new chain key at index 0.
func (rk *RootKey) KDF_RK(our *curve.PrivateKey, their curve.PublicKey) (RootKey, ChainKey, error) {
	dh, err := our.ECDH(their)
	if err != nil {
		return RootKey{}, ChainKey{}, err
	}
	var out [2 * KeySize]byte
	kdf.HKDF(out[:], dh, rk[:], kdf.InfoRatchet)
	clear(dh)
	var next RootKey
	var ck ChainKey
	copy(next[:], out[:KeySize])
	copy(ck.Key[:], out[KeySize:])
	clear(out[:])
	return next, ck, nil
}

// KDF_CK is the chain-key step (Double Ratchet section 3.1, "KDF_CK(ck)"):
// it returns the message-key seed HMAC(ck, 0x01) and the next chain key
// HMAC(ck, 0x02).
func (ck *ChainKey) KDF_CK() (seed [KeySize]byte, next ChainKey) {
	seed, next.Key = kdf.ChainStep(ck.Key[:])
	next.Index = ck.Index + 1
	return seed, next
}

// DeriveMessageKeys expands a message-key seed into message keys:
// HKDF-SHA256(salt = pqSalt or none, IKM = seed, info = "WhisperMessageKeys"),
// 80 bytes = cipher key ‖ MAC key ‖ IV. pqSalt is nil in protocol v3.
func DeriveMessageKeys(seed *[KeySize]byte, counter uint32, pqSalt []byte) MessageKeys {
	var out [kdf.MessageKeysSize]byte
	kdf.HKDF(out[:], seed[:], pqSalt, kdf.InfoMessageKeys)
	var m MessageKeys
	copy(m.CipherKey[:], out[:32])
	copy(m.MACKey[:], out[32:64])
	copy(m.IV[:], out[64:80])
	m.Counter = counter
	clear(out[:])
	return m
}
