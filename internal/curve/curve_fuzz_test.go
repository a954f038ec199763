// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package curve

import (
	"bytes"
	"testing"
)

// FuzzVerify checks that Verify never panics, whatever the key, signature
// and message, and that bit 255 of u never changes its answer. Seeds are
// the checked-in signature vectors and the special u-coordinates.
func FuzzVerify(f *testing.F) {
	for _, name := range []string{crossSealVectorsFile, mauVectorsFile} {
		for _, v := range readSigVectors(f, name).Vectors {
			pub := mustHex(f, v.Public)
			f.Add(pub[1:], mustHex(f, v.Signature), mustHex(f, v.Message))
		}
	}
	sig := mustHex(f, libsignalSignature)
	for _, u := range specialU() {
		f.Add(u, sig, []byte("m"))
		f.Add(u, make([]byte, 64), []byte(nil))
	}
	f.Fuzz(func(t *testing.T, u, sig, msg []byte) {
		pub, err := NewPublicKeyRaw(u)
		if err != nil {
			return
		}
		ok := Verify(pub, sig, msg)
		high := pub.raw
		high[31] ^= 0x80
		if Verify(PublicKey{high}, sig, msg) != ok {
			t.Errorf("bit 255 of u changed Verify's answer")
		}
		if ok && len(sig) != SignatureSize {
			t.Errorf("signature of %d bytes verified", len(sig))
		}
	})
}

// FuzzNewPublicKey checks that parsing never panics, returns the zero key
// on error, and that every accepted input re-serializes to itself.
func FuzzNewPublicKey(f *testing.F) {
	for _, v := range readSigVectors(f, crossSealVectorsFile).Vectors {
		f.Add(mustHex(f, v.Public))
	}
	f.Add([]byte{})
	f.Add([]byte{DJBType})
	f.Add(bytes.Repeat([]byte{DJBType}, SerializedPublicKeySize+1))
	f.Add(append([]byte{0x08}, make([]byte, 32)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := NewPublicKey(b)
		if err != nil {
			if k != (PublicKey{}) {
				t.Errorf("NewPublicKey(%x) returned %v with error %v", b, k, err)
			}
		} else if got := k.Bytes(); !bytes.Equal(got, b) {
			t.Errorf("NewPublicKey(%x).Bytes() = %x", b, got)
		}
		r, err := NewPublicKeyRaw(b)
		if err != nil {
			if r != (PublicKey{}) {
				t.Errorf("NewPublicKeyRaw(%x) returned %v with error %v", b, r, err)
			}
		} else if raw := r.Raw(); !bytes.Equal(raw[:], b) {
			t.Errorf("NewPublicKeyRaw(%x).Raw() = %x", b, raw)
		}
	})
}
