// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package x3dh

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/crossseal/crossseal/internal/curve"
)

type bob struct {
	ik, spk, opk *curve.PrivateKey
	bundle       *Bundle
}

func gen(t *testing.T) *curve.PrivateKey {
	t.Helper()
	k, err := curve.GeneratePrivateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newBob(t *testing.T, withOPK bool) *bob {
	b := &bob{ik: gen(t), spk: gen(t), opk: gen(t)}
	sig, err := b.ik.Sign(nil, b.spk.PublicKey().Bytes())
	if err != nil {
		t.Fatal(err)
	}
	b.bundle = &Bundle{RegistrationID: 5, DeviceID: 1, IdentityKey: b.ik.PublicKey(), SignedPreKeyID: 1,
		SignedPreKey: b.spk.PublicKey(), SignedPreKeySignature: sig}
	if withOPK {
		b.bundle.HasPreKey, b.bundle.PreKeyID, b.bundle.PreKey = true, 9, b.opk.PublicKey()
	}
	return b
}

func TestAgreement(t *testing.T) {
	for _, withOPK := range []bool{true, false} {
		t.Run(fmt.Sprint("opk=", withOPK), func(t *testing.T) {
			b := newBob(t, withOPK)
			ika, eka := gen(t), gen(t)
			as, err := Initiate(InitiatorParameters{OurIdentity: ika, OurBase: eka, Bundle: b.bundle})
			if err != nil {
				t.Fatal(err)
			}
			rp := ResponderParameters{OurIdentity: b.ik, OurSignedPreKey: b.spk, TheirIdentity: ika.PublicKey(), TheirBase: eka.PublicKey()}
			if withOPK {
				rp.OurOneTimePreKey = b.opk
			}
			bs, err := Respond(rp)
			if err != nil {
				t.Fatal(err)
			}
			if as != bs {
				t.Fatal("initiator and responder disagree")
			}
			// Forgetting (or adding) the one-time prekey changes the secret.
			if withOPK {
				rp.OurOneTimePreKey = nil
			} else {
				rp.OurOneTimePreKey = b.opk
			}
			if other, _ := Respond(rp); other == as {
				t.Fatal("one-time prekey did not affect the secret")
			}
			for _, verb := range []string{"%v", "%+v", "%#v", "%x", "%d", "%s"} {
				s := fmt.Sprintf(verb, as)
				if strings.Contains(s, hex.EncodeToString(as.RootKey[:4])) || strings.Contains(s, fmt.Sprint(as.ChainKey[:4])[1:]) {
					t.Fatalf("%s reveals the secret: %s", verb, s)
				}
			}
		})
	}
}

func TestBundleRejected(t *testing.T) {
	ika, eka := gen(t), gen(t)
	lowOrder, _ := curve.NewPublicKeyRaw(append([]byte{1}, make([]byte, 31)...))
	cases := map[string]struct {
		mod  func(*Bundle)
		want error
	}{
		"flipped signature": {func(b *Bundle) { b.SignedPreKeySignature[0] ^= 1 }, ErrInvalidSignature},
		"short signature":   {func(b *Bundle) { b.SignedPreKeySignature = b.SignedPreKeySignature[:63] }, ErrInvalidSignature},
		"other identity":    {func(b *Bundle) { b.IdentityKey = gen(t).PublicKey() }, ErrInvalidSignature},
		"swapped prekey":    {func(b *Bundle) { b.SignedPreKey = gen(t).PublicKey() }, ErrInvalidSignature},
		"missing identity":  {func(b *Bundle) { b.IdentityKey = PublicKey{} }, ErrInvalidBundle},
		"low-order opk":     {func(b *Bundle) { b.PreKey = lowOrder }, ErrLowOrderKey},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			b := newBob(t, true)
			tc.mod(b.bundle)
			if _, err := Initiate(InitiatorParameters{OurIdentity: ika, OurBase: eka, Bundle: b.bundle}); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	b := newBob(t, false)
	if _, err := Respond(ResponderParameters{OurIdentity: b.ik, OurSignedPreKey: b.spk, TheirIdentity: ika.PublicKey(), TheirBase: lowOrder}); !errors.Is(err, ErrLowOrderKey) {
		t.Fatalf("responder with low-order base key: %v", err)
	}
}
