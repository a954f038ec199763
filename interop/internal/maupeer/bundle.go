// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package maupeer

import (
	"encoding/json"
	"errors"
	"fmt"

	"go.mau.fi/libsignal/ecc"
	"go.mau.fi/libsignal/keys/identity"
	"go.mau.fi/libsignal/keys/prekey"
	"go.mau.fi/libsignal/util/optional"
)

// Sizes fixed by the wire format (PROTOCOL.md, "Keys and signatures").
const (
	publicKeySize = 33 // 0x05 ‖ X25519 u-coordinate
	signatureSize = 64 // XEdDSA
)

// BundleJSON is the bundle object of INTEROP.md. Binary fields are
// standard base64, which encoding/json uses for []byte.
type BundleJSON struct {
	IdentityPub  []byte            `json:"identity_pub"`
	RegID        uint32            `json:"reg_id"`
	DeviceID     uint32            `json:"device_id"`
	SignedPreKey *SignedPreKeyJSON `json:"signed_prekey"`
	PreKey       *PreKeyJSON       `json:"prekey,omitempty"`
	KEMPreKey    json.RawMessage   `json:"kem_prekey,omitempty"`
}

// SignedPreKeyJSON is the signed_prekey object of a bundle.
type SignedPreKeyJSON struct {
	ID  uint32 `json:"id"`
	Pub []byte `json:"pub"`
	Sig []byte `json:"sig"`
}

// PreKeyJSON is the (one-time) prekey object of a bundle.
type PreKeyJSON struct {
	ID  uint32 `json:"id"`
	Pub []byte `json:"pub"`
}

// decodePublicKey checks the 33-byte form before handing it to mau:
// ecc.DecodePoint indexes its input without a length check.
func decodePublicKey(field string, b []byte) (ecc.ECPublicKeyable, error) {
	if len(b) != publicKeySize || b[0] != ecc.DjbType {
		return nil, fmt.Errorf("bundle: %s must be %d bytes starting with 0x05, got %d bytes", field, publicKeySize, len(b))
	}
	return ecc.DecodePoint(b, 0)
}

// toMau converts a bundle to mau's type. A kem_prekey (v4 profile) is
// ignored: mau speaks X3DH only, so the session it starts is v3.
func (b *BundleJSON) toMau() (*prekey.Bundle, error) {
	ik, err := decodePublicKey("identity_pub", b.IdentityPub)
	if err != nil {
		return nil, err
	}
	if b.SignedPreKey == nil {
		return nil, errors.New("bundle: signed_prekey is missing")
	}
	spk, err := decodePublicKey("signed_prekey.pub", b.SignedPreKey.Pub)
	if err != nil {
		return nil, err
	}
	if len(b.SignedPreKey.Sig) != signatureSize {
		return nil, fmt.Errorf("bundle: signed_prekey.sig must be %d bytes, got %d", signatureSize, len(b.SignedPreKey.Sig))
	}
	var sig [signatureSize]byte
	copy(sig[:], b.SignedPreKey.Sig)

	opkID := optional.NewEmptyUint32()
	var opk ecc.ECPublicKeyable
	if b.PreKey != nil {
		if opk, err = decodePublicKey("prekey.pub", b.PreKey.Pub); err != nil {
			return nil, err
		}
		if b.PreKey.ID == 0 {
			// mau's wire decoder reads pre_key_id 0 as "absent".
			return nil, errors.New("bundle: prekey.id 0 is not usable with go.mau.fi/libsignal")
		}
		opkID = optional.NewOptionalUint32(b.PreKey.ID)
	}
	return prekey.NewBundle(b.RegID, b.DeviceID, opkID, b.SignedPreKey.ID,
		opk, spk, sig, identity.NewKey(ik)), nil
}
