// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package spqr

import (
	"crypto/hmac"
	"encoding/binary"

	"github.com/crossseal/crossseal/internal/kdf"
)

// Labels of the ML-KEM Braid's authenticator and key derivation.
const (
	labelAuthUpdate = "Signal_PQCKA_V1_MLKEM768:Authenticator Update"
	labelCiphertext = "Signal_PQCKA_V1_MLKEM768:ciphertext"
	labelHeader     = "Signal_PQCKA_V1_MLKEM768:ekheader"
	labelEpochKey   = "Signal_PQCKA_V1_MLKEM768:SCKA Key"
)

// macSize is the size of the authenticator's MACs (full HMAC-SHA256).
const macSize = 32

// authenticator authenticates the encapsulation key headers and the
// ciphertexts of every epoch with a MAC key that evolves with each epoch's
// secret.
type authenticator struct {
	root, mac [32]byte
}

// newAuthenticator starts the authenticator from the session's SPQR key at
// epoch 1.
func newAuthenticator(authKey []byte) authenticator {
	var a authenticator
	a.update(1, authKey)
	return a
}

func appendEpoch(b []byte, epoch uint64) []byte {
	return binary.BigEndian.AppendUint64(b, epoch)
}

// update mixes k into the authenticator at epoch.
func (a *authenticator) update(epoch uint64, k []byte) {
	ikm := make([]byte, 0, 32+len(k))
	ikm = append(append(ikm, a.root[:]...), k...)
	info := appendEpoch([]byte(labelAuthUpdate), epoch)
	var out [64]byte
	kdf.HKDF(out[:], ikm, zeroSalt[:], string(info))
	copy(a.root[:], out[:32])
	copy(a.mac[:], out[32:])
	clear(out[:])
	clear(ikm)
}

func (a *authenticator) compute(label string, epoch uint64, data []byte) [macSize]byte {
	h := kdf.NewMAC(a.mac[:])
	h.Write(appendEpoch([]byte(label), epoch))
	h.Write(data)
	var out [macSize]byte
	h.Sum(out[:0])
	return out
}

// macHeader is the MAC sent with an encapsulation key header.
func (a *authenticator) macHeader(epoch uint64, hdr []byte) [macSize]byte {
	return a.compute(labelHeader, epoch, hdr)
}

// macCiphertext is the MAC sent with a ciphertext (ct1 ‖ ct2).
func (a *authenticator) macCiphertext(epoch uint64, ct []byte) [macSize]byte {
	return a.compute(labelCiphertext, epoch, ct)
}

func (a *authenticator) verifyHeader(epoch uint64, hdr, mac []byte) bool {
	want := a.macHeader(epoch, hdr)
	return hmac.Equal(want[:], mac)
}

func (a *authenticator) verifyCiphertext(epoch uint64, ct, mac []byte) bool {
	want := a.macCiphertext(epoch, ct)
	return hmac.Equal(want[:], mac)
}

func (a *authenticator) wipe() {
	clear(a.root[:])
	clear(a.mac[:])
}

// epochSecret derives the secret of epoch from the ML-KEM shared secret.
func epochSecret(epoch uint64, sharedSecret []byte) [32]byte {
	var out [32]byte
	kdf.HKDF(out[:], sharedSecret, zeroSalt[:], string(appendEpoch([]byte(labelEpochKey), epoch)))
	return out
}
