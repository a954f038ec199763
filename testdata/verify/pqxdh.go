// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package verify

import (
	"bytes"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/kem"
	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/internal/sim"
	"github.com/crossseal/crossseal/x3dh"
)

// kemPreKeyFromSeed makes the KEM key pair of the recorded seed
// (kem_prekey_seed), with the type of the recorded public key, and checks
// that its keys are the recorded ones (kem_prekey_private: z, the second
// half of the seed, shows only there); with the signature randomness
// (kem_signature_random) it also re-makes the signature and compares it.
// Checks of fields a mutation targets are skipped. It returns nil after a
// failure, or if the seed is absent.
func kemPreKeyFromSeed(v *view, identity *curve.PrivateKey) *kem.PrivateKey {
	const seedKey, randomKey, privateKey, publicKey, signatureKey = "kem_prekey_seed", "kem_signature_random", "kem_prekey_private", "kem_prekey_public", "kem_prekey_signature"
	seed, hasSeed := v.optBytes(seedKey)
	random, hasRandom := v.optBytes(randomKey)
	private, hasPrivate := v.optBytes(privateKey)
	pub, sig := v.bytes(publicKey), v.bytes(signatureKey)
	if !hasSeed || v.err != nil || v.mutated[publicKey] {
		return nil
	}
	if len(pub) == 0 {
		v.fail("%s is empty", publicKey)
		return nil
	}
	priv, got, err := kem.GenerateKeyPair(kem.Type(pub[0]), bytes.NewReader(seed))
	if err != nil {
		v.fail("%s: %v", seedKey, err)
		return nil
	}
	if !bytes.Equal(got.Bytes(), pub) {
		v.fail("%s is not the public key of %s", publicKey, seedKey)
		return nil
	}
	if hasPrivate && !bytes.Equal(priv.Bytes(), private) {
		v.fail("%s is not the private key of %s", privateKey, seedKey)
		return nil
	}
	if hasRandom && identity != nil && !v.mutated[signatureKey] {
		re, err := identity.Sign(bytes.NewReader(random), pub)
		if err != nil || !bytes.Equal(re, sig) {
			v.fail("signing %s with the identity key and %s gives %x, recorded %x", publicKey, randomKey, re, sig)
			return nil
		}
	}
	return priv
}

// checkPQXDH runs PQXDH as the initiator, with exactly the recorded
// encapsulation randomness, and compares the KEM ciphertext and the three
// keys; for a success vector it also runs the responder, which must derive
// the same keys. A vector whose KEM ciphertext a mutation changed runs the
// responder on it: it must refuse it, or derive other keys than the
// initiator (ML-KEM implicit rejection: "mac failure").
func checkPQXDH(v *view) {
	ikA, ekA := v.privateKey("identity_a"), v.privateKey("base_a")
	ikB := v.privateKey("identity_b")
	spkB := v.privateKey("signed_prekey_b")
	opkB := v.privateKey("onetime_prekey_b")
	b := &x3dh.Bundle{
		RegistrationID: 1, DeviceID: 1,
		IdentityKey:           v.publicKey("identity_b_public"),
		SignedPreKeyID:        1,
		SignedPreKey:          v.publicKey("signed_prekey_b_public"),
		SignedPreKeySignature: v.bytes("signed_prekey_signature"),
	}
	b.PreKey, b.HasPreKey = v.optPublicKey("onetime_prekey_b_public")
	if random, ok := v.optBytes("signature_random"); ok && ikB != nil && !v.mutated["signed_prekey_signature"] && !v.mutated["signed_prekey_b_public"] {
		re, err := ikB.Sign(bytes.NewReader(random), b.SignedPreKey.Bytes())
		if err != nil || !bytes.Equal(re, b.SignedPreKeySignature) {
			v.fail("signing signed_prekey_b_public with identity_b_private and signature_random gives %x, recorded %x", re, b.SignedPreKeySignature)
		}
	}
	kemPriv := kemPreKeyFromSeed(v, ikB)
	kemPub, err := kem.ParsePublicKey(v.bytes("kem_prekey_public"))
	if err != nil && v.err == nil {
		v.fail("kem_prekey_public: %v", err)
	}
	kp := x3dh.KEMPreKey{ID: 1, PublicKey: kemPub, Signature: v.bytes("kem_prekey_signature")}
	encRandom, recordedCT := v.bytes("kem_encapsulation_random"), v.bytes("kem_ciphertext")
	if v.err != nil {
		return
	}
	if ikA == nil || ekA == nil {
		v.fail("identity_a_private and base_a_private are required")
		return
	}
	r := bytes.NewReader(encRandom)
	ss, ct, err := x3dh.InitiatePQ(x3dh.InitiatorParameters{OurIdentity: ikA, OurBase: ekA, Bundle: b}, kp, r)
	if err != nil {
		v.outcome("InitiatePQ", sim.Classify(err))
		return
	}
	if r.Len() != 0 {
		v.fail("InitiatePQ drew %d of the %d bytes of kem_encapsulation_random", r.Size()-int64(r.Len()), r.Size())
		return
	}
	if ikB == nil || spkB == nil || (b.HasPreKey && opkB == nil) || kemPriv == nil {
		v.fail("the responder's private keys and kem_prekey_seed are required")
		return
	}
	respond := func(ct []byte) (x3dh.PQSharedSecret, error) {
		return x3dh.RespondPQ(x3dh.ResponderParameters{
			OurIdentity: ikB, OurSignedPreKey: spkB, OurOneTimePreKey: opkB,
			TheirIdentity: ikA.PublicKey(), TheirBase: ekA.PublicKey(),
		}, kemPriv, ct)
	}
	if v.mutated["kem_ciphertext"] {
		rs, err := respond(recordedCT)
		got := sim.Classify(err)
		if err == nil && rs != ss {
			got = testdata.ExpectMACFailure
		}
		v.outcome("RespondPQ", got)
		return
	}
	v.outcome("InitiatePQ", testdata.ExpectSuccess)
	v.equal("kem_ciphertext", ct)
	v.equal("root_key", ss.RootKey[:])
	v.equal("chain_key", ss.ChainKey[:])
	v.equal("pq_ratchet_key", ss.PQRatchetKey[:])
	if v.err != nil {
		return
	}
	rs, err := respond(ct)
	if err != nil {
		v.fail("RespondPQ: %v", err)
		return
	}
	if rs != ss {
		v.fail("RespondPQ derives other keys than InitiatePQ")
	}
}
