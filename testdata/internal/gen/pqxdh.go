// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package gen

import (
	"bytes"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/kem"
	"github.com/crossseal/crossseal/testdata"
	"github.com/crossseal/crossseal/testdata/internal/mutate"
)

// infoPQXDH is the HKDF info of PQXDH as libsignal uses it, for both KEM
// types.
const infoPQXDH = "WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024"

// kemPreKey is a KEM prekey made from recorded randomness: the key pair
// from seed (internal/kem reads exactly the seed) and IK_B's XEdDSA
// signature of the serialized public key with randomness random.
type kemPreKey struct {
	pub         kem.PublicKey
	priv        *kem.PrivateKey
	public, sig []byte // serialized public key, signature
}

func (b *builder) newKEMPreKey(t kem.Type, identity, seed, random []byte) kemPreKey {
	var k kemPreKey
	var err error
	k.priv, k.pub, err = kem.GenerateKeyPair(t, bytes.NewReader(seed))
	b.check(err)
	if err != nil {
		return k
	}
	k.public = k.pub.Bytes()
	signer, err := curve.NewPrivateKey(identity)
	b.check(err)
	if err == nil {
		k.sig, err = signer.Sign(bytes.NewReader(random), k.public)
		b.check(err)
	}
	return k
}

func pqxdhVectors(b *builder) {
	const kind = "pqxdh"
	r := stream(kind)
	type base struct {
		file                                  string
		spkSig, kemPub, kemSig, kemCiphertext []byte
	}
	mk := func(name, comment string, t kem.Type, withOPK bool) base {
		ikA, ekA, ikB, spkB, random := r.Bytes(32), r.Bytes(32), r.Bytes(32), r.Bytes(32), r.Bytes(64)
		var opkB []byte
		if withOPK {
			opkB = r.Bytes(32)
		}
		kemSeed, kemRandom, encRandom := r.Bytes(kem.SeedSize), r.Bytes(64), r.Bytes(kem.EncapsulationSeedSize)
		spkPub := publicOf(spkB)
		signer, err := curve.NewPrivateKey(ikB)
		b.check(err)
		sig, err := signer.Sign(bytes.NewReader(random), spkPub)
		b.check(err)
		kp := b.newKEMPreKey(t, ikB, kemSeed, kemRandom)
		if b.err != nil {
			return base{}
		}
		ct, ss, err := kp.pub.Encapsulate(bytes.NewReader(encRandom))
		b.check(err)
		// The key schedule is computed here with crypto/ecdh and
		// crypto/hkdf; only the KEM is crossseal's (internal/kem, over
		// circl).
		ikm := bytes.Repeat([]byte{0xFF}, 32)
		ikm = append(ikm, x25519(ikA, spkPub)...)
		ikm = append(ikm, x25519(ekA, publicOf(ikB))...)
		ikm = append(ikm, x25519(ekA, spkPub)...)
		if withOPK {
			ikm = append(ikm, x25519(ekA, publicOf(opkB))...)
		}
		ikm = append(ikm, ss...)
		sk := hkdfSHA256(ikm, nil, infoPQXDH, 96)
		v := newVec(kind, name, testdata.ExpectSuccess, comment).
			hex("identity_a_private", ikA).hex("identity_a_public", publicOf(ikA)).
			hex("base_a_private", ekA).hex("base_a_public", publicOf(ekA)).
			hex("identity_b_private", ikB).hex("identity_b_public", publicOf(ikB)).
			hex("signed_prekey_b_private", spkB).hex("signed_prekey_b_public", spkPub).
			hex("signature_random", random).hex("signed_prekey_signature", sig)
		if withOPK {
			v.hex("onetime_prekey_b_private", opkB).hex("onetime_prekey_b_public", publicOf(opkB))
		}
		v.hex("kem_prekey_seed", kemSeed).hex("kem_signature_random", kemRandom).
			hex("kem_prekey_private", kp.priv.Bytes()).hex("kem_prekey_public", kp.public).hex("kem_prekey_signature", kp.sig).
			hex("kem_encapsulation_random", encRandom).hex("kem_ciphertext", ct).
			hex("root_key", sk[:32]).hex("chain_key", sk[32:64]).hex("pq_ratchet_key", sk[64:])
		return base{file: b.add(v), spkSig: sig, kemPub: kp.public, kemSig: kp.sig, kemCiphertext: ct}
	}
	kyber := mk("kyber1024-with-one-time-prekey", "PQXDH with a Kyber1024 KEM prekey and DH1..DH4; SK = HKDF(0xFF*32 ‖ DH1 ‖ DH2 ‖ DH3 ‖ DH4 ‖ SS, salt 0, \"WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024\", 96 bytes) = root ‖ chain ‖ SPQR key", kem.Kyber1024, true)
	noOPK := mk("kyber1024-without-one-time-prekey", "PQXDH with a Kyber1024 KEM prekey, DH1..DH3 only", kem.Kyber1024, false)
	mk("mlkem1024-with-one-time-prekey", "PQXDH with an ML-KEM-1024 KEM prekey (type 0x0a): the same info string as Kyber1024", kem.MLKEM1024, true)
	if b.err != nil {
		return
	}

	invalid := testdata.ExpectInvalidSignature
	b.add(derive(kind, "flipped-kem-prekey-signature", invalid, "one bit of the KEM prekey's signature flipped: rejected before any DH or encapsulation", kyber.file, "flip-bit", "kem_prekey_signature").
		int("bit", 100).hex("kem_prekey_signature", b.mutated("flip-bit", kyber.kemSig, mutate.Params{Bit: 100})))
	b.add(derive(kind, "kem-prekey-type-changed", invalid, "the KEM prekey's type byte changed from Kyber1024 (08) to ML-KEM-1024 (0a): the key parses, but the signature covers the type byte", noOPK.file, "set-byte", "kem_prekey_public").
		int("offset", 0).hex("byte", []byte{byte(kem.MLKEM1024)}).hex("kem_prekey_public", b.mutated("set-byte", noOPK.kemPub, mutate.Params{Offset: 0, Byte: byte(kem.MLKEM1024)})))
	b.add(derive(kind, "flipped-signed-prekey-signature", invalid, "one bit of the signed prekey's signature flipped: rejected before the KEM prekey is looked at", kyber.file, "flip-bit", "signed_prekey_signature").
		int("bit", 17).hex("signed_prekey_signature", b.mutated("flip-bit", kyber.spkSig, mutate.Params{Bit: 17})))
	b.add(derive(kind, "low-order-onetime-prekey", testdata.ExpectLowOrderKey, "one-time prekey replaced by a low-order point (order 8): DH4 is all zeros", kyber.file, "replace", "onetime_prekey_b_public").
		hex("onetime_prekey_b_public", lowOrder["order-8-a"]))
	b.add(derive(kind, "truncated-kem-ciphertext", testdata.ExpectParseFailure, "the KEM ciphertext cut by one byte: the responder refuses it", kyber.file, "truncate", "kem_ciphertext").
		int("length", kem.SerializedCiphertextSize-1).hex("kem_ciphertext", kyber.kemCiphertext[:kem.SerializedCiphertextSize-1]))
	b.add(derive(kind, "kem-ciphertext-type-changed", testdata.ExpectParseFailure, "the KEM ciphertext's type byte changed to ML-KEM-1024 (0a) for a Kyber1024 key: the responder refuses it", noOPK.file, "set-byte", "kem_ciphertext").
		int("offset", 0).hex("byte", []byte{byte(kem.MLKEM1024)}).hex("kem_ciphertext", b.mutated("set-byte", noOPK.kemCiphertext, mutate.Params{Offset: 0, Byte: byte(kem.MLKEM1024)})))
	b.add(derive(kind, "flipped-kem-ciphertext", testdata.ExpectMACFailure, "one bit of the KEM ciphertext flipped: ML-KEM implicit rejection gives the responder another shared secret, hence other keys, so the first message would fail its MAC", kyber.file, "flip-bit", "kem_ciphertext").
		int("bit", 4000).hex("kem_ciphertext", b.mutated("flip-bit", kyber.kemCiphertext, mutate.Params{Bit: 4000})))
}
