// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package maupeer

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/crossseal/crossseal/interop/internal/maustore"
	"go.mau.fi/libsignal/ecc"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/serialize"
	"go.mau.fi/libsignal/session"
	"go.mau.fi/libsignal/state/record"
	"go.mau.fi/libsignal/util/keyhelper"
)

// DeviceID is the only device a peer has (INTEROP.md: every name maps to
// the address (name, 1)).
const DeviceID = 1

// Ranges for generated ids. Registration ids are 14-bit values in
// 1..16380 as libsignal generates them. Prekey ids stay below mau's
// medium.MaxValue (0xFFFFFF), and 0 is avoided because mau's wire decoder
// reads pre_key_id 0 as "no one-time prekey".
const (
	maxRegID    = 16380
	maxPreKeyID = 0xFFFFFE
)

// ErrNotInitialized is returned by every method but [Peer.Init] before the
// first Init.
var ErrNotInitialized = errors.New("not initialized: send init first")

// Peer is one Signal account backed by go.mau.fi/libsignal.
type Peer struct {
	ser    *serialize.Serializer
	name   string
	store  *maustore.Store
	signed *record.SignedPreKey
	preKey *record.PreKey // the one-time prekey published by the last init
}

// New returns a peer with no account; call [Peer.Init] first.
func New() *Peer {
	return &Peer{ser: serialize.NewProtoBufSerializer()}
}

// recoverPanic turns a panic inside mau into an error in *err.
func recoverPanic(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("go.mau.fi/libsignal panicked: %v", r)
	}
}

// randomID returns a uniform value in 1..max.
func randomID(max uint32) (uint32, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return 0, err
	}
	// The modulo bias is irrelevant for identifiers.
	return binary.LittleEndian.Uint32(b[:])%max + 1, nil
}

// Init replaces all state with a fresh identity, one signed prekey and one
// new one-time prekey, and returns the bundle. A nil regID picks a random
// registration id in 1..16380.
func (p *Peer) Init(name string, regID *uint32) (b *BundleJSON, err error) {
	defer recoverPanic(&err)
	id, err := keyhelper.GenerateIdentityKeyPair()
	if err != nil {
		return nil, err
	}
	var reg uint32
	if regID != nil {
		reg = *regID
	} else if reg, err = randomID(maxRegID); err != nil {
		return nil, err
	}
	spkID, err := randomID(maxPreKeyID)
	if err != nil {
		return nil, err
	}
	signed, err := keyhelper.GenerateSignedPreKey(id, spkID, p.ser.SignedPreKeyRecord)
	if err != nil {
		return nil, err
	}
	opkID, err := randomID(maxPreKeyID)
	if err != nil {
		return nil, err
	}
	opkPair, err := ecc.GenerateKeyPair()
	if err != nil {
		return nil, err
	}
	opk := record.NewPreKey(opkID, opkPair, p.ser.PreKeyRecord)

	st := maustore.New(p.ser, id, reg)
	ctx := context.Background()
	if err := st.StoreSignedPreKey(ctx, spkID, signed); err != nil {
		return nil, err
	}
	if err := st.StorePreKey(ctx, opkID, opk); err != nil {
		return nil, err
	}
	p.name, p.store, p.signed, p.preKey = name, st, signed, opk
	return p.bundle()
}

// Bundle returns the bundle published by the last init. Once a PreKey
// message has consumed the one-time prekey, the prekey field is left out,
// as a server would after handing the key out.
func (p *Peer) Bundle() (b *BundleJSON, err error) {
	defer recoverPanic(&err)
	return p.bundle()
}

func (p *Peer) bundle() (*BundleJSON, error) {
	if p.store == nil {
		return nil, ErrNotInitialized
	}
	sig := p.signed.Signature()
	b := &BundleJSON{
		IdentityPub: p.store.GetIdentityKeyPair().PublicKey().Serialize(),
		RegID:       p.store.GetLocalRegistrationID(),
		DeviceID:    DeviceID,
		SignedPreKey: &SignedPreKeyJSON{
			ID:  p.signed.ID(),
			Pub: p.signed.KeyPair().PublicKey().Serialize(),
			Sig: sig[:],
		},
	}
	opkID := p.preKey.ID().Value
	if ok, _ := p.store.ContainsPreKey(context.Background(), opkID); ok {
		b.PreKey = &PreKeyJSON{ID: opkID, Pub: p.preKey.KeyPair().PublicKey().Serialize()}
	}
	return b, nil
}

func (p *Peer) builder(addr *protocol.SignalAddress) *session.Builder {
	return session.NewBuilder(p.store, p.store, p.store, p.store, addr, p.ser)
}

// ProcessBundle starts a session with name from its bundle (X3DH as
// initiator).
func (p *Peer) ProcessBundle(name string, b *BundleJSON) (err error) {
	defer recoverPanic(&err)
	if p.store == nil {
		return ErrNotInitialized
	}
	if b == nil {
		return errors.New("bundle is missing")
	}
	mb, err := b.toMau()
	if err != nil {
		return err
	}
	return p.builder(protocol.NewSignalAddress(name, DeviceID)).ProcessBundle(context.Background(), mb)
}

// Encrypt encrypts plaintext for name and returns the message type (2 or
// 3) and its exact wire bytes.
func (p *Peer) Encrypt(name string, plaintext []byte) (typ uint32, body []byte, err error) {
	defer recoverPanic(&err)
	if p.store == nil {
		return 0, nil, ErrNotInitialized
	}
	addr := protocol.NewSignalAddress(name, DeviceID)
	ctx := context.Background()
	// mau's Encrypt dereferences an empty state without this check.
	if ok, _ := p.store.ContainsSession(ctx, addr); !ok {
		return 0, nil, fmt.Errorf("no session with %q", name)
	}
	m, err := session.NewCipher(p.builder(addr), addr).Encrypt(ctx, plaintext)
	if err != nil {
		return 0, nil, err
	}
	return m.Type(), m.Serialize(), nil
}

// Decrypt decrypts a message of type typ from name.
//
// mau quirk: go.mau.fi/libsignal advances the receiving chain (and stores
// skipped message keys, and for a new ratchet key performs the DH step)
// on the live session record before it verifies the MAC, and its
// prekey path saves the sender's identity before decrypting. A tampered
// message would thus leave the session past the original's counter, and
// the untampered original would then fail as a duplicate. INTEROP.md
// requires that a failed decrypt changes nothing, so Decrypt snapshots
// the serialized session record (and the trusted identity) before
// calling mau and restores them on any error, including a panic inside
// mau (which can panic on malformed input, e.g. an empty body).
func (p *Peer) Decrypt(name string, typ int, body []byte) (plaintext []byte, err error) {
	if p.store == nil {
		return nil, ErrNotInitialized
	}
	addr := protocol.NewSignalAddress(name, DeviceID)
	snap := p.store.Snapshot(addr)
	defer func() {
		if r := recover(); r != nil {
			plaintext, err = nil, fmt.Errorf("go.mau.fi/libsignal panicked: %v", r)
		}
		if err != nil {
			if rerr := p.store.Restore(addr, snap); rerr != nil {
				err = fmt.Errorf("%w (and restoring the session failed: %v)", err, rerr)
			}
		}
	}()
	// mau quirk: the PreKeySignalMessage decoder accepts any version
	// from 2 to 3 in the outer version byte and builds a v3 session
	// anyway, so a message relabelled 0x22 decrypts. libsignal rejects
	// versions below 3 as legacy; so does Decrypt, for both types.
	if len(body) > 0 && body[0]>>4 != protocol.CurrentVersion {
		return nil, fmt.Errorf("unsupported message version %d (want %d)", body[0]>>4, protocol.CurrentVersion)
	}
	ctx := context.Background()
	cipher := session.NewCipher(p.builder(addr), addr)
	switch typ {
	case protocol.WHISPER_TYPE:
		m, err := protocol.NewSignalMessageFromBytes(body, p.ser.SignalMessage)
		if err != nil {
			return nil, fmt.Errorf("parse SignalMessage: %w", err)
		}
		return cipher.Decrypt(ctx, m)
	case protocol.PREKEY_TYPE:
		m, err := protocol.NewPreKeySignalMessageFromBytes(body, p.ser.PreKeySignalMessage, p.ser.SignalMessage)
		if err != nil {
			return nil, fmt.Errorf("parse PreKeySignalMessage: %w", err)
		}
		return cipher.DecryptMessage(ctx, m)
	default:
		return nil, fmt.Errorf("unsupported message type %d (want 2 or 3)", typ)
	}
}
