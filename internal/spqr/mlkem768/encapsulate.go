// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package mlkem768

import (
	"crypto/mlkem"
	"crypto/rand"
	"crypto/sha3"
	"crypto/subtle"
	"fmt"
	"github.com/crossseal/crossseal/internal/avx"
	"io"

	"github.com/cloudflare/circl/pke/kyber/kyber768"
)

// The sizes above must be those of circl's K-PKE and of crypto/mlkem; a
// change in either fails the build here (a negative constant does not
// convert to uint) instead of turning into a slicing panic.
const (
	_ = uint(kyber768.PublicKeySize-StandardEncapsulationKeySize) + uint(StandardEncapsulationKeySize-kyber768.PublicKeySize)
	_ = uint(kyber768.CiphertextSize-CiphertextSize) + uint(CiphertextSize-kyber768.CiphertextSize)
	_ = uint(kyber768.PlaintextSize-MessageSize) + uint(MessageSize-kyber768.PlaintextSize)
	_ = uint(kyber768.EncryptionSeedSize-32) + uint(32-kyber768.EncryptionSeedSize)
	_ = uint(mlkem.EncapsulationKeySize768-StandardEncapsulationKeySize) + uint(StandardEncapsulationKeySize-mlkem.EncapsulationKeySize768)
	_ = uint(mlkem.CiphertextSize768-CiphertextSize) + uint(CiphertextSize-mlkem.CiphertextSize768)
	_ = uint(mlkem.SeedSize-SeedSize) + uint(SeedSize-mlkem.SeedSize)
	_ = uint(mlkem.SharedKeySize-SharedSecretSize) + uint(SharedSecretSize-mlkem.SharedKeySize)
)

// Encapsulate1 is the first half of ML-KEM-768 encapsulation (FIPS 203,
// Algorithm 17, ML-KEM.Encaps_internal, split as in Signal's "ML-KEM
// Braid" specification, section "ML-KEM as an incremental KEM"). It needs
// only the [HeaderSize]-byte header ρ ‖ H(ek) of the peer's encapsulation
// key.
//
// It reads exactly [MessageSize] bytes m from rand (crypto/rand.Reader if
// nil), its only randomness, computes (K, r) = G(m ‖ H(ek)) with G =
// SHA3-512, and returns:
//
//   - ct1, the first [Ciphertext1Size] bytes of K-PKE.Encrypt(ek, m, r)
//     (the compressed vector u, which depends on ek only through ρ);
//   - state, [StateSize] bytes laid out as m ‖ header, which
//     [Encapsulate2] needs to finish the ciphertext;
//   - sharedSecret, the [SharedSecretSize]-byte shared secret K.
//
// The state and the shared secret must be kept secret; the caller should
// clear the state once [Encapsulate2] has succeeded. The shared secret is
// the one the key owner will decapsulate only if [Encapsulate2] later
// accepts an encapsulation key vector for this state: Encapsulate1 cannot
// check the key itself, so a header whose hash matches no valid key gives
// a secret that nobody else can derive.
//
// It returns an error wrapping [ErrInvalidLength] if header is not
// [HeaderSize] bytes, or wrapping the reader's error if reading fails.
// The results depend only on header and the bytes read.
func Encapsulate1(header []byte, rand io.Reader) (ct1, state, sharedSecret []byte, err error) {
	if len(header) != HeaderSize {
		return nil, nil, nil, fmt.Errorf("%w: header is %d bytes, want %d", ErrInvalidLength, len(header), HeaderSize)
	}
	var m [MessageSize]byte
	defer clear(m[:])
	if _, err := io.ReadFull(randOrDefault(rand), m[:]); err != nil {
		return nil, nil, nil, fmt.Errorf("mlkem768: reading encapsulation randomness: %w", err)
	}
	ct1, state, sharedSecret = encapsulate1(header, &m)
	return ct1, state, sharedSecret, nil
}

// encapsulate1 is Encapsulate1 with the message m given. header must be
// HeaderSize bytes.
func encapsulate1(header []byte, m *[MessageSize]byte) (ct1, state, sharedSecret []byte) {
	var g [64]byte // K ‖ r
	defer clear(g[:])
	deriveKeyAndCoins(&g, m, header[headerHash:])

	// K-PKE.Encrypt (FIPS 203, Algorithm 14) computes u = NTT⁻¹(Âᵀ ∘ r̂) + e₁
	// from ρ and r alone; t̂ enters only v. Encrypting under the key 0 ‖ ρ
	// therefore gives the right u, and its v is thrown away.
	var ek [StandardEncapsulationKeySize]byte
	copy(ek[EncapsulationKeySize:], header[headerRho:headerHash])
	var pk kyber768.PublicKey
	pk.Unpack(ek[:])
	var ct [CiphertextSize]byte
	// With t̂ = 0, v = e₂ + Decompress₁(m) would reveal m: clear it.
	defer clear(ct[:])
	pk.EncryptTo(ct[:], m[:], g[32:])
	avx.CleanUpperState()

	ct1 = make([]byte, Ciphertext1Size)
	copy(ct1, ct[:Ciphertext1Size])
	state = make([]byte, StateSize)
	copy(state[stateMessage:], m[:])
	copy(state[stateHeader:], header)
	sharedSecret = make([]byte, SharedSecretSize)
	copy(sharedSecret, g[:32])
	return ct1, state, sharedSecret
}

// Encapsulate2 is the second half of ML-KEM-768 encapsulation: given the
// peer's [EncapsulationKeySize]-byte encapsulation key vector and the
// state from [Encapsulate1], it returns ct2, the last [Ciphertext2Size]
// bytes of the ciphertext (the compressed polynomial v). ct1 ‖ ct2 is then
// the standard ML-KEM-768 ciphertext of FIPS 203, Algorithm 17, for the
// encapsulation key ekVector ‖ ρ and the shared secret Encapsulate1
// returned.
//
// It first checks the key as [EncapsulationKeyMatchesHeader] does against
// the header kept in the state (the FIPS 203, section 7.2 modulus check
// included) and returns an error wrapping [ErrInvalidEncapsulationKey] if
// that fails, and an error wrapping [ErrInvalidLength] if ekVector or
// state has the wrong length. state is not modified, so a failed call can
// be retried with another key vector; the caller should clear it after
// success. ct2 is not secret.
func Encapsulate2(ekVector, state []byte) (ct2 []byte, err error) {
	if len(ekVector) != EncapsulationKeySize {
		return nil, fmt.Errorf("%w: encapsulation key vector is %d bytes, want %d", ErrInvalidLength, len(ekVector), EncapsulationKeySize)
	}
	if len(state) != StateSize {
		return nil, fmt.Errorf("%w: encapsulation state is %d bytes, want %d", ErrInvalidLength, len(state), StateSize)
	}
	header := state[stateHeader:]
	var ek [StandardEncapsulationKeySize]byte
	if !checkEncapsulationKey(&ek, ekVector, header) {
		return nil, ErrInvalidEncapsulationKey
	}
	var pk kyber768.PublicKey
	err = pk.UnpackMLKEM(ek[:])
	avx.CleanUpperState()
	if err != nil {
		// Unreachable: checkEncapsulationKey ran the same modulus check.
		return nil, ErrInvalidEncapsulationKey
	}

	var m [MessageSize]byte
	defer clear(m[:])
	copy(m[:], state[stateMessage:stateHeader])
	var g [64]byte // K ‖ r
	defer clear(g[:])
	deriveKeyAndCoins(&g, &m, header[headerHash:])
	var ct [CiphertextSize]byte
	defer clear(ct[:])
	pk.EncryptTo(ct[:], m[:], g[32:])
	avx.CleanUpperState()

	ct2 = make([]byte, Ciphertext2Size)
	copy(ct2, ct[Ciphertext1Size:])
	return ct2, nil
}

// EncapsulationKeyMatchesHeader reports whether ekVector is the
// encapsulation key vector that header announces: both have the right
// length, SHA3-256(ekVector ‖ ρ) equals the H(ek) in header (compared in
// constant time), and ekVector passes the modulus check of FIPS 203,
// section 7.2 (every 12-bit coefficient is below q = 3329). It is the
// check [Encapsulate2] runs.
func EncapsulationKeyMatchesHeader(ekVector, header []byte) bool {
	if len(ekVector) != EncapsulationKeySize || len(header) != HeaderSize {
		return false
	}
	var ek [StandardEncapsulationKeySize]byte
	return checkEncapsulationKey(&ek, ekVector, header)
}

// checkEncapsulationKey assembles ek = ekVector ‖ ρ and reports whether
// its hash is the one in header and it passes the modulus check. ekVector
// and header must have the right lengths.
func checkEncapsulationKey(ek *[StandardEncapsulationKeySize]byte, ekVector, header []byte) bool {
	copy(ek[:EncapsulationKeySize], ekVector)
	copy(ek[EncapsulationKeySize:], header[headerRho:headerHash])
	h := sha3.Sum256(ek[:])
	if subtle.ConstantTimeCompare(h[:], header[headerHash:]) != 1 {
		return false
	}
	return modulusCheck(ekVector)
}

// modulusCheck reports whether every coefficient of the ByteEncode12
// encoding vector (a multiple of 3 bytes long) is below q, which is
// equivalent to ByteEncode12(ByteDecode12(vector)) = vector (FIPS 203,
// section 7.2, "Modulus check"). The vector is public, so the check need
// not be constant time.
func modulusCheck(vector []byte) bool {
	for i := 0; i+2 < len(vector); i += 3 {
		b0, b1, b2 := uint16(vector[i]), uint16(vector[i+1]), uint16(vector[i+2])
		if b0|(b1&0x0f)<<8 >= q || b1>>4|b2<<4 >= q {
			return false
		}
	}
	return true
}

// deriveKeyAndCoins sets g to G(m ‖ h) = SHA3-512(m ‖ h) (FIPS 203,
// Algorithm 17, line 1): the shared secret K ‖ the encryption coins r.
func deriveKeyAndCoins(g *[64]byte, m *[MessageSize]byte, h []byte) {
	var in [MessageSize + hashSize]byte
	defer clear(in[:])
	copy(in[:MessageSize], m[:])
	copy(in[MessageSize:], h)
	*g = sha3.Sum512(in[:])
}

// randOrDefault returns r, or crypto/rand.Reader if r is nil.
func randOrDefault(r io.Reader) io.Reader {
	if r == nil {
		return rand.Reader
	}
	return r
}
