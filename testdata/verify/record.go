// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package verify

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/internal/testhooks"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/ratchet"
	"github.com/crossseal/crossseal/session"
	"github.com/crossseal/crossseal/testdata/internal/sim"
	"google.golang.org/protobuf/proto"
)

// recordPeer is the address the record is stored under for the checks.
var recordPeer = keystore.Address{Name: "peer", DeviceID: 1}

// noRandom fails every read: a record check must not draw randomness.
type noRandom struct{}

func (noRandom) Read([]byte) (int, error) {
	return 0, fmt.Errorf("verify: a record check drew randomness")
}

// managerWith returns a Manager over a new store holding rec for
// recordPeer and, if it is not nil, the trusted identity of recordPeer, as
// a store that holds a session does.
func managerWith(rec, identity []byte) (*session.Manager, error) {
	store := keystore.NewMemory()
	err := store.Update(context.Background(), func(tx keystore.Tx) error {
		if identity != nil {
			if err := tx.SetRemoteIdentity(recordPeer, identity); err != nil {
				return err
			}
		}
		return tx.SetSession(recordPeer, rec)
	})
	if err != nil {
		return nil, err
	}
	return testhooks.NewManagerWithRand(store, noRandom{}).(*session.Manager), nil
}

// checkSessionRecord decodes the record, with ratchet.FromProto for the
// ratchet state, compares every decoded value with the header, and then
// uses the record through session: encrypting the recorded next message
// and decrypting the recorded incoming one. A derived (corrupt) record
// must be refused by session.
func checkSessionRecord(v *view) {
	if v.artifact == nil {
		v.fail("no artifact")
		return
	}
	ctx := context.Background()
	m, err := managerWith(v.artifact, nil)
	if err != nil {
		v.fail("%v", err)
		return
	}
	has, err := m.HasSession(ctx, recordPeer)
	v.outcome("loading the record", sim.Classify(err))
	if v.err != nil || err != nil {
		return
	}
	if !has {
		v.fail("the record has no current session")
		return
	}
	var p pb.SessionRecord
	if err := proto.Unmarshal(v.artifact, &p); err != nil {
		v.fail("protobuf: %v", err)
		return
	}
	v.equalUint("record_version", uint64(p.Version))
	v.equalUint("archived_states", uint64(len(p.Previous)))
	if p.Current == nil {
		v.fail("no current state")
		return
	}
	checkState(v, "current.", p.Current)
	for i, s := range p.Previous {
		checkState(v, fmt.Sprintf("archived.%d.", i), s)
	}
	if v.err != nil {
		return
	}
	// From here on, the store trusts the current session's remote identity.
	if m, err = managerWith(v.artifact, p.Current.RemoteIdentity); err != nil {
		v.fail("%v", err)
		return
	}
	if pt, ok := v.optBytes("send_plaintext"); ok && v.err == nil {
		c, err := m.Encrypt(ctx, recordPeer, pt)
		if err != nil {
			v.fail("Encrypt: %v", err)
			return
		}
		v.equalUint("send_type", uint64(c.Type))
		v.equal("send_body", c.Body)
	}
	if body, ok := v.optBytes("receive_body"); ok && v.err == nil {
		typ := int(v.uint32("receive_type"))
		m, err := managerWith(v.artifact, p.Current.RemoteIdentity)
		if err != nil {
			v.fail("%v", err)
			return
		}
		var got []byte
		err = m.Decrypt(ctx, recordPeer, session.Ciphertext{Type: typ, Body: body}, func(pt []byte) error {
			got = bytes.Clone(pt)
			return nil
		})
		if err != nil {
			v.fail("Decrypt: %v", err)
			return
		}
		v.equal("receive_plaintext", got)
	}
}

// checkState compares one decoded SessionState with the fields under
// prefix. The ratchet fields are read back from ratchet.FromProto's state.
func checkState(v *view, prefix string, ps *pb.SessionState) {
	st, err := ratchet.FromProto(ps)
	if err != nil {
		v.fail("%sratchet state: %v", prefix, err)
		return
	}
	var r pb.SessionState
	st.ToProto(&r)
	v.equalUint(prefix+"session_version", uint64(r.SessionVersion))
	v.equal(prefix+"local_identity", ps.LocalIdentity)
	v.equal(prefix+"remote_identity", ps.RemoteIdentity)
	v.equalUint(prefix+"local_registration_id", uint64(ps.LocalRegistrationId))
	v.equalUint(prefix+"remote_registration_id", uint64(ps.RemoteRegistrationId))
	v.equal(prefix+"alice_base_key", ps.AliceBaseKey)
	v.equal(prefix+"root_key", r.RootKey)
	v.equalUint(prefix+"previous_counter", uint64(r.PreviousCounter))
	v.equal(prefix+"sender_ratchet_public", r.SenderChain.RatchetPublic)
	v.equal(prefix+"sender_ratchet_private", r.SenderChain.RatchetPrivate)
	v.equal(prefix+"sender_chain_key", r.SenderChain.ChainKey)
	v.equalUint(prefix+"sender_index", uint64(r.SenderChain.Index))
	v.equalUint(prefix+"receiver_chains", uint64(len(r.ReceiverChains)))
	if n := st.ReceiverChains(); n != len(r.ReceiverChains) {
		v.fail("%sReceiverChains() = %d, encoded %d", prefix, n, len(r.ReceiverChains))
	}
	skipped := 0
	for i, rc := range r.ReceiverChains {
		p := fmt.Sprintf("%sreceiver.%d.", prefix, i)
		v.equal(p+"ratchet_public", rc.RatchetPublic)
		v.equal(p+"chain_key", rc.ChainKey)
		v.equalUint(p+"index", uint64(rc.Index))
		var idx []string
		var seeds []byte
		for _, k := range rc.Skipped {
			idx = append(idx, strconv.FormatUint(uint64(k.Index), 10))
			seeds = append(seeds, k.Seed...)
		}
		if got, want := strings.Join(idx, " "), v.one(p+"skipped_indexes", typeText); v.err == nil && got != want {
			v.fail("%sskipped_indexes: decoded %q, recorded %q", p, got, want)
		}
		v.equal(p+"skipped_seeds", seeds)
		skipped += len(rc.Skipped)
	}
	if n := st.SkippedKeys(); n != skipped {
		v.fail("%sSkippedKeys() = %d, encoded %d", prefix, n, skipped)
	}
	pp := ps.PendingPreKey
	if pp == nil {
		if v.has(prefix+"pending_base_key") || v.has(prefix+"pending_signed_prekey_id") || v.has(prefix+"pending_prekey_id") {
			v.fail("%spending fields recorded, but the state has no pending prekey", prefix)
		}
		return
	}
	id, ok := v.optUint32(prefix + "pending_prekey_id")
	if ok != (pp.PreKeyId != nil) || (ok && id != *pp.PreKeyId) {
		v.fail("%spending_prekey_id differs", prefix)
	}
	v.equalUint(prefix+"pending_signed_prekey_id", uint64(pp.SignedPreKeyId))
	v.equal(prefix+"pending_base_key", pp.BaseKey)
}
