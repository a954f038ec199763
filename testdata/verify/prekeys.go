// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package verify

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/internal/testhooks"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/session"
	"github.com/crossseal/crossseal/testdata/internal/sim"
	"google.golang.org/protobuf/proto"
)

// exactReader serves recorded randomness and fails once it is used up.
type exactReader struct{ b []byte }

func (r *exactReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, fmt.Errorf("verify: more randomness drawn than recorded")
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// generatePreKeyRecord has a session.Manager generate the record the
// header describes, drawing exactly the recorded randomness, and returns
// the stored record (and, for a signed prekey, the signed prekey).
func generatePreKeyRecord(v *view, signed bool, id uint32, random []byte) ([]byte, *session.SignedPreKey) {
	ctx := context.Background()
	store := keystore.NewMemory()
	r := &exactReader{random}
	m := testhooks.NewManagerWithRand(store, r).(*session.Manager)
	var spk *session.SignedPreKey
	if signed {
		if err := m.ImportIdentity(ctx, v.bytes("identity_private"), 1, false); err != nil {
			v.fail("ImportIdentity: %v", err)
			return nil, nil
		}
		s, err := m.GenerateSignedPreKey(ctx, id, time.UnixMilli(v.int64("timestamp")))
		if err != nil {
			v.fail("GenerateSignedPreKey: %v", err)
			return nil, nil
		}
		spk = &s
	} else {
		pks, err := m.GeneratePreKeys(ctx, id, 1)
		if err != nil {
			v.fail("GeneratePreKeys: %v", err)
			return nil, nil
		}
		v.equal("prekey_public", pks[0].PublicKey.Bytes())
	}
	if len(r.b) != 0 {
		v.fail("%d recorded random bytes were not drawn", len(r.b))
	}
	var rec []byte
	err := store.Update(ctx, func(tx keystore.Tx) error {
		var err error
		if signed {
			rec, err = tx.SignedPreKey(id)
		} else {
			rec, err = tx.PreKey(id)
		}
		return err
	})
	if err != nil {
		v.fail("reading the stored record: %v", err)
	}
	return rec, spk
}

// checkPreKeyRecord has session generate the record from the recorded
// keys and randomness and compares it with the artifact (a success vector
// only), then loads the artifact with session's own loader and compares
// what it loads, and the record's other fields, with the header.
func checkPreKeyRecord(v *view) {
	kind := v.name("record")
	if kind != "prekey" && kind != "signed-prekey" {
		v.fail("record %q is neither prekey nor signed-prekey", kind)
		return
	}
	signed := kind == "signed-prekey"
	id := v.uint32("id")
	priv := v.privateKey("prekey")
	var identity *curve.PrivateKey
	var random []byte
	if signed {
		identity = v.privateKey("identity")
		random = append(v.bytes("prekey_private"), v.bytes("signature_random")...)
	} else {
		random = v.bytes("prekey_private")
	}
	if v.artifact == nil {
		v.fail("no artifact")
	}
	if v.err != nil {
		return
	}
	fresh := !v.mutated["artifact"]
	if fresh {
		rec, spk := generatePreKeyRecord(v, signed, id, random)
		if v.err != nil {
			return
		}
		if !bytes.Equal(rec, v.artifact) {
			v.fail("session stores %x, recorded %x", rec, v.artifact)
			return
		}
		if spk != nil {
			v.equal("prekey_public", spk.PublicKey.Bytes())
			v.equal("signature", spk.Signature)
			if !curve.Verify(identity.PublicKey(), spk.Signature, spk.PublicKey.Bytes()) {
				v.fail("the signature does not verify under identity_public")
			}
		}
	}
	if v.err != nil {
		return
	}
	var (
		gotPriv, gotPub, gotSig []byte
		gotTime                 int64
		err                     error
	)
	if signed {
		gotPub, gotPriv, gotSig, gotTime, err = testhooks.LoadSignedPreKeyRecord(id, v.artifact)
	} else {
		gotPriv, gotPub, err = testhooks.LoadPreKeyRecord(id, v.artifact)
	}
	v.outcome("loading the record", sim.Classify(err))
	if err != nil || v.err != nil {
		return
	}
	if !bytes.Equal(gotPriv, priv.Bytes()) {
		v.fail("session loads private key %x, want the clamped prekey_private %x", gotPriv, priv.Bytes())
	}
	v.equal("prekey_public", gotPub)
	if signed {
		v.equal("signature", gotSig)
		v.equalUint("timestamp", uint64(gotTime))
	}
	// Fields session does not read when it loads a prekey: decoded here.
	var p pb.SignedPreKeyRecord // a PreKeyRecord is its first four fields
	if err := proto.Unmarshal(v.artifact, &p); err != nil {
		v.fail("protobuf: %v", err)
		return
	}
	v.equalUint("record_version", uint64(p.Version))
	v.equalUint("id", uint64(p.Id))
	v.equal("prekey_public", p.PublicKey)
	if !signed && (p.Signature != nil || p.Timestamp != 0) {
		v.fail("a one-time prekey record has signed prekey fields")
	}
}
