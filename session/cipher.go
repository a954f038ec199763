// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

import (
	"context"
	"errors"
	"fmt"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/wire"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/ratchet"
	"github.com/crossseal/crossseal/x3dh"
)

// Message types of a [Ciphertext] (libsignal CiphertextMessageType).
const (
	// TypeWhisper is a SignalMessage in an established session.
	TypeWhisper = wire.TypeWhisper
	// TypePreKey is a PreKeySignalMessage, which starts a session.
	TypePreKey = wire.TypePreKey
)

// Protocol versions this package speaks: v3 (X3DH + Double Ratchet, what
// WhatsApp-style clients speak) and v4 (PQXDH + Double Ratchet + SPQR,
// what current Signal clients speak). A session's version is fixed by the
// bundle it starts from: v4 if the bundle has a KEM prekey.
const (
	VersionV3 = wire.VersionV3
	VersionV4 = wire.VersionV4
)

// Ciphertext is an encrypted message: its type and its exact wire bytes.
type Ciphertext struct {
	Type int
	Body []byte
}

// ProcessBundle starts a new session with addr from its prekey bundle (the
// X3DH initiator, section 3.3). It checks that the bundle's identity is
// trusted (see [ErrUntrustedIdentity]) and that the signed prekey's
// signature verifies before any key is used. Until the peer replies, every
// message to it is a PreKeySignalMessage. An existing session is archived.
func (m *Manager) ProcessBundle(ctx context.Context, addr keystore.Address, b *x3dh.Bundle) error {
	if err := addr.Validate(); err != nil {
		return err
	}
	if b == nil {
		return fmt.Errorf("%w: nil bundle", x3dh.ErrInvalidBundle)
	}
	// x3dh.Initiate verifies the signed prekey before any DH.
	base, err := curve.GeneratePrivateKey(m.rand)
	if err != nil {
		return fmt.Errorf("session: generating base key: %w", err)
	}
	sending, err := curve.GeneratePrivateKey(m.rand)
	if err != nil {
		return fmt.Errorf("session: generating ratchet key: %w", err)
	}
	var commit cachedRecord
	err = m.store.Update(ctx, func(tx keystore.Tx) error {
		ident, err := m.loadIdentity(tx)
		if err != nil {
			return err
		}
		if _, err := checkTrust(tx, addr, b.IdentityKey); err != nil {
			return err
		}
		params := x3dh.InitiatorParameters{OurIdentity: ident.priv, OurBase: base, Bundle: b}
		var rs *ratchet.State
		var kemCT []byte
		if b.KEMPreKey == nil {
			ss, err := x3dh.Initiate(params)
			if err != nil {
				return err
			}
			rs, err = ratchet.InitializeAliceWithKey(VersionV3, ratchet.RootKey(ss.RootKey), ratchet.ChainKey{Key: ss.ChainKey}, b.SignedPreKey, sending)
			ss.Clear()
			if err != nil {
				return fmt.Errorf("session: %w", err)
			}
		} else {
			// PQXDH (v4): x3dh.InitiatePQ verifies both prekey signatures
			// before any DH or encapsulation.
			ss, ct, err := x3dh.InitiatePQ(params, *b.KEMPreKey, m.rand)
			if err != nil {
				return err
			}
			kemCT = ct
			rs, err = ratchet.InitializeAliceWithKey(VersionV4, ratchet.RootKey(ss.RootKey), ratchet.ChainKey{Key: ss.ChainKey}, b.SignedPreKey, sending)
			if err == nil {
				err = rs.StartPQ(ss.PQRatchetKey[:], true)
			}
			ss.Clear()
			if err != nil {
				return fmt.Errorf("session: %w", err)
			}
		}
		basePub := base.PublicKey()
		st := &state{
			ratchet: rs, local: ident.pub, remote: b.IdentityKey,
			localRegID: ident.regID, remoteRegID: b.RegistrationID, aliceBase: basePub,
			pending: &pendingPreKey{hasPreKeyID: b.HasPreKey, preKeyID: b.PreKeyID, signedPreKeyID: b.SignedPreKeyID, baseKey: basePub},
		}
		if b.KEMPreKey != nil {
			st.pending.hasKEM, st.pending.kemPreKeyID, st.pending.kemCiphertext = true, b.KEMPreKey.ID, kemCT
		}
		rec, err := m.loadRecord(tx, addr)
		if err != nil {
			return err
		}
		rec.promote(st)
		if err := tx.SetRemoteIdentity(addr, b.IdentityKey.Bytes()); err != nil {
			return fmt.Errorf("session: storing identity: %w", err)
		}
		commit, err = m.storeRecord(tx, addr, rec)
		return err
	})
	if err != nil {
		return err
	}
	m.remember(addr, commit)
	return nil
}

// Encrypt encrypts plaintext for addr in the current session, advancing its
// sending chain. It returns [ErrNoSession] without a session and
// [ErrUntrustedIdentity] if the stored identity of addr no longer matches
// the session's.
func (m *Manager) Encrypt(ctx context.Context, addr keystore.Address, plaintext []byte) (Ciphertext, error) {
	if len(plaintext) > MaxPlaintextSize {
		return Ciphertext{}, fmt.Errorf("%w: %d bytes", ErrTooLarge, len(plaintext))
	}
	var out Ciphertext
	var commit cachedRecord
	err := m.store.Update(ctx, func(tx keystore.Tx) error {
		rec, err := m.loadRecord(tx, addr)
		if err != nil {
			return err
		}
		st := rec.current
		if st == nil {
			return fmt.Errorf("%w with %s", ErrNoSession, addr)
		}
		if _, err := checkTrust(tx, addr, st.remote); err != nil {
			return err
		}
		msg, err := st.ratchet.Encrypt(plaintext, m.identities(st, addr), m.rand)
		if err != nil {
			return fmt.Errorf("session: %w", err)
		}
		if p := st.pending; p != nil {
			pk := wire.NewPreKeySignalMessage(&wire.PreKeySignalMessage{
				Version: st.ratchet.Version, RegistrationID: st.localRegID,
				HasPreKeyID: p.hasPreKeyID, PreKeyID: p.preKeyID, SignedPreKeyID: p.signedPreKeyID,
				BaseKey: p.baseKey, IdentityKey: st.local, Message: msg,
				HasKyberPreKeyID: p.hasKEM, KyberPreKeyID: p.kemPreKeyID, KyberCiphertext: p.kemCiphertext,
			})
			out = Ciphertext{Type: TypePreKey, Body: pk.Bytes()}
		} else {
			out = Ciphertext{Type: TypeWhisper, Body: msg.Bytes()}
		}
		commit, err = m.storeRecord(tx, addr, rec)
		return err
	})
	if err != nil {
		return Ciphertext{}, err
	}
	m.remember(addr, commit)
	return out, nil
}

// Decrypt decrypts a message from addr and calls fn with the plaintext
// inside the store transaction. The updated session, the identity of addr
// (trusted on first use) and the removal of a consumed one-time prekey are
// committed only if decryption succeeds and fn returns nil; otherwise
// nothing is stored and Decrypt returns the error. fn must not retain
// plaintext after returning.
//
// Errors match [ErrInvalidMessage] (also [ErrMalformed] for parse
// failures), [ErrDuplicateMessage], [ErrTooManySkipped], [ErrNoSession],
// [ErrUntrustedIdentity], [ErrInvalidPreKeyID], [ErrUnsupportedVersion], or
// are fn's error.
func (m *Manager) Decrypt(ctx context.Context, addr keystore.Address, c Ciphertext, fn func(plaintext []byte) error) error {
	var txFn func(keystore.Tx, []byte) error
	if fn != nil {
		txFn = func(_ keystore.Tx, pt []byte) error { return fn(pt) }
	}
	return m.DecryptTx(ctx, addr, c, txFn)
}

// DecryptTx is [Manager.Decrypt] with the store transaction handed to fn,
// so that an application (or package envelope) can write its own records
// — the received message, a de-duplication mark — in the same transaction
// as the session state. They commit together or not at all, which makes
// delivery exactly-once across crashes. fn must not keep tx.
func (m *Manager) DecryptTx(ctx context.Context, addr keystore.Address, c Ciphertext, fn func(tx keystore.Tx, plaintext []byte) error) error {
	if err := addr.Validate(); err != nil {
		return err
	}
	switch c.Type {
	case TypeWhisper:
		msg, err := wire.ParseSignalMessage(c.Body)
		if err != nil {
			return malformed(err)
		}
		if msg.Version != VersionV3 && msg.Version != VersionV4 {
			return fmt.Errorf("%w: message version %d", ErrUnsupportedVersion, msg.Version)
		}
		return m.decrypt(ctx, addr, fn, func(tx keystore.Tx, rec *record) ([]byte, error) {
			return m.decryptWithRecord(rec, msg, addr)
		})
	case TypePreKey:
		msg, err := wire.ParsePreKeySignalMessage(c.Body)
		if err != nil {
			return malformed(err)
		}
		if msg.Version != VersionV3 && msg.Version != VersionV4 {
			return fmt.Errorf("%w: message version %d", ErrUnsupportedVersion, msg.Version)
		}
		if (msg.Version == VersionV4) != msg.HasKyberPreKeyID {
			// libsignal refuses v4 session starts without a KEM part; a
			// v3 one with a KEM part does not parse.
			return malformed(fmt.Errorf("v%d PreKeySignalMessage with kyber prekey: %t", msg.Version, msg.HasKyberPreKeyID))
		}
		return m.decrypt(ctx, addr, fn, func(tx keystore.Tx, rec *record) ([]byte, error) {
			return m.decryptPreKey(tx, addr, rec, msg)
		})
	default:
		return fmt.Errorf("%w: message type %d", ErrUnsupportedVersion, c.Type)
	}
}

// decrypt runs one decrypt transaction: load, decrypt, check trust, call
// fn, store.
func (m *Manager) decrypt(ctx context.Context, addr keystore.Address, fn func(keystore.Tx, []byte) error,
	open func(keystore.Tx, *record) ([]byte, error)) error {
	var commit cachedRecord
	err := m.store.Update(ctx, func(tx keystore.Tx) error {
		rec, err := m.loadRecord(tx, addr)
		if err != nil {
			return err
		}
		pt, err := open(tx, rec)
		if err != nil {
			return err
		}
		defer clear(pt)
		known, err := checkTrust(tx, addr, rec.current.remote)
		if err != nil {
			return err
		}
		if fn != nil {
			if err := fn(tx, pt); err != nil {
				return err
			}
		}
		if !known {
			if err := tx.SetRemoteIdentity(addr, rec.current.remote.Bytes()); err != nil {
				return fmt.Errorf("session: storing identity: %w", err)
			}
		}
		commit, err = m.storeRecord(tx, addr, rec)
		return err
	})
	if err != nil {
		return err
	}
	m.remember(addr, commit)
	return nil
}

// decryptWithRecord tries the current session, then archived ones
// (libsignal decrypt_message_with_record). On success the session that
// decrypted is current in rec. A duplicate in the current session is
// reported at once.
func (m *Manager) decryptWithRecord(rec *record, msg *wire.SignalMessage, addr keystore.Address) ([]byte, error) {
	if rec.current == nil && len(rec.previous) == 0 {
		return nil, ErrNoSession
	}
	// The current session's error is the informative one (a counter past
	// the limit, say); archived sessions only add "did not decrypt".
	currentErr := error(ErrInvalidMessage)
	if rec.current != nil {
		pt, err := m.decryptWithState(rec.current, msg, addr)
		if err == nil || errors.Is(err, ErrDuplicateMessage) {
			return pt, err
		}
		currentErr = err
	}
	for i, s := range rec.previous {
		c := s.clone()
		if pt, err := m.decryptWithState(c, msg, addr); err == nil {
			rec.previous = append(rec.previous[:i], rec.previous[i+1:]...)
			rec.promote(c)
			return pt, nil
		}
	}
	return nil, currentErr
}

// decryptWithState decrypts on a clone of s and, on success, copies the
// clone back into s.
func (m *Manager) decryptWithState(s *state, msg *wire.SignalMessage, addr keystore.Address) ([]byte, error) {
	c := s.ratchet.Clone()
	pt, err := c.Decrypt(msg, m.identities(s, addr), m.rand)
	if err != nil {
		c.Wipe()
		return nil, err
	}
	s.ratchet = c
	s.pending = nil
	return pt, nil
}

// decryptPreKey handles a PreKeySignalMessage (libsignal process_prekey):
// a message of a session already built from the same base key is decrypted
// in that session; otherwise X3DH runs as the responder and a new session
// becomes current. The one-time prekey is deleted in the same transaction.
func (m *Manager) decryptPreKey(tx keystore.Tx, addr keystore.Address, rec *record, msg *wire.PreKeySignalMessage) ([]byte, error) {
	if _, err := checkTrust(tx, addr, msg.IdentityKey); err != nil {
		return nil, err
	}
	if s, i := rec.withBaseKey(msg.Version, msg.BaseKey); s != nil {
		if i >= 0 {
			rec.previous = append(rec.previous[:i], rec.previous[i+1:]...)
			rec.promote(s.clone())
		}
		return m.decryptWithRecord(rec, msg.Message, addr)
	}
	ident, err := m.loadIdentity(tx)
	if err != nil {
		return nil, err
	}
	spk, err := m.signedPreKeyPrivate(tx, msg.SignedPreKeyID)
	if err != nil {
		return nil, err
	}
	var opk *curve.PrivateKey
	if msg.HasPreKeyID {
		if opk, err = loadPreKey(tx, msg.PreKeyID); err != nil {
			return nil, err
		}
	}
	params := x3dh.ResponderParameters{
		OurIdentity: ident.priv, OurSignedPreKey: spk, OurOneTimePreKey: opk,
		TheirIdentity: msg.IdentityKey, TheirBase: msg.BaseKey,
	}
	var rs *ratchet.State
	if msg.Version == VersionV3 {
		ss, err := x3dh.Respond(params)
		if err != nil {
			return nil, err
		}
		rs = ratchet.InitializeBob(msg.Version, ratchet.RootKey(ss.RootKey), ratchet.ChainKey{Key: ss.ChainKey}, spk)
		ss.Clear()
	} else {
		kemPriv, err := useKEMPreKey(tx, msg.KyberPreKeyID, msg.SignedPreKeyID, msg.BaseKey)
		if err != nil {
			return nil, err
		}
		ss, err := x3dh.RespondPQ(params, kemPriv, msg.KyberCiphertext)
		if err != nil {
			return nil, err
		}
		rs = ratchet.InitializeBob(msg.Version, ratchet.RootKey(ss.RootKey), ratchet.ChainKey{Key: ss.ChainKey}, spk)
		err = rs.StartPQ(ss.PQRatchetKey[:], false)
		ss.Clear()
		if err != nil {
			return nil, fmt.Errorf("session: %w", err)
		}
	}
	st := &state{
		ratchet: rs, local: ident.pub, remote: msg.IdentityKey,
		localRegID: ident.regID, remoteRegID: msg.RegistrationID, aliceBase: msg.BaseKey,
	}
	pt, err := m.decryptWithState(st, msg.Message, addr)
	if err != nil {
		return nil, err
	}
	rec.promote(st)
	if msg.HasPreKeyID {
		if err := tx.DeletePreKey(msg.PreKeyID); err != nil {
			return nil, fmt.Errorf("session: removing prekey %d: %w", msg.PreKeyID, err)
		}
	}
	return pt, nil
}

// identities are what a message of session s with addr binds: the two
// identity keys and, in v4, the two devices' addresses when both names are
// service ids (see [Manager.SetLocalAddress]).
func (m *Manager) identities(s *state, addr keystore.Address) ratchet.Identities {
	ids := ratchet.Identities{Local: s.local, Remote: s.remote}
	if s.ratchet.Version >= VersionV4 {
		m.mu.Lock()
		local := m.localAddress
		m.mu.Unlock()
		if local != nil {
			if remote := ratchet.EncodeAddress(addr.Name, addr.DeviceID); remote != nil {
				ids.LocalAddress, ids.RemoteAddress = local, remote
			}
		}
	}
	return ids
}
