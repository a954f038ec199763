// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sim

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/crossseal/crossseal/internal/curve"
	"github.com/crossseal/crossseal/internal/testhooks"
	"github.com/crossseal/crossseal/keystore"
	"github.com/crossseal/crossseal/session"
)

// DeviceID is the device number of every party's address.
const DeviceID = 1

// Conversation is a set of parties, each a session.Manager over its own
// in-memory store, and every message they have sent, numbered from 0 in
// the order sent.
//
// Every step takes the randomness it may draw as an io.Reader; a step that
// draws from a nil reader, or more than its reader holds, fails.
type Conversation struct {
	ctx      context.Context
	parties  map[string]*party
	messages []Message
}

type party struct {
	addr  keystore.Address
	store *keystore.Memory
	m     *session.Manager
	rand  stepReader
}

// Message is one sent message.
type Message struct {
	From, To string // party names
	session.Ciphertext
}

// stepReader forwards to the reader of the step being run.
type stepReader struct{ r io.Reader }

func (s *stepReader) Read(p []byte) (int, error) {
	if s.r == nil {
		return 0, errors.New("sim: step has no recorded randomness")
	}
	return s.r.Read(p)
}

// NewConversation returns a conversation with no parties.
func NewConversation() *Conversation {
	return &Conversation{ctx: context.Background(), parties: make(map[string]*party)}
}

func (c *Conversation) party(name string) (*party, error) {
	p, ok := c.parties[name]
	if !ok {
		return nil, fmt.Errorf("sim: unknown party %q", name)
	}
	return p, nil
}

// run calls fn with p drawing randomness from rand.
func (p *party) run(rand io.Reader, fn func() error) error {
	p.rand.r = rand
	defer func() { p.rand.r = nil }()
	return fn()
}

func newManager(store keystore.Store, r io.Reader) *session.Manager {
	return testhooks.NewManagerWithRand(store, r).(*session.Manager)
}

// Identity creates party name, whose address is (address, DeviceID), and
// its identity key (32 bytes of randomness), and returns its public key.
func (c *Conversation) Identity(name, address string, regID uint32, rand io.Reader) (curve.PublicKey, error) {
	if _, ok := c.parties[name]; ok {
		return curve.PublicKey{}, fmt.Errorf("sim: party %q exists", name)
	}
	p := &party{addr: keystore.Address{Name: address, DeviceID: DeviceID}, store: keystore.NewMemory()}
	p.m = newManager(p.store, &p.rand)
	c.parties[name] = p
	var pub curve.PublicKey
	err := p.run(rand, func() error {
		if err := p.m.CreateIdentity(c.ctx, regID); err != nil {
			return err
		}
		var err error
		pub, _, err = p.m.LocalIdentity(c.ctx)
		return err
	})
	return pub, err
}

// SignedPreKey generates signed prekey id (32 bytes of randomness for the
// key, then 64 for the signature) and returns it.
func (c *Conversation) SignedPreKey(name string, id uint32, timestampMillis int64, rand io.Reader) (session.SignedPreKey, error) {
	p, err := c.party(name)
	if err != nil {
		return session.SignedPreKey{}, err
	}
	var spk session.SignedPreKey
	err = p.run(rand, func() error {
		var err error
		spk, err = p.m.GenerateSignedPreKey(c.ctx, id, time.UnixMilli(timestampMillis))
		return err
	})
	return spk, err
}

// PreKey generates one-time prekey id (32 bytes of randomness) and returns
// its public key.
func (c *Conversation) PreKey(name string, id uint32, rand io.Reader) (curve.PublicKey, error) {
	p, err := c.party(name)
	if err != nil {
		return curve.PublicKey{}, err
	}
	var pub curve.PublicKey
	err = p.run(rand, func() error {
		pks, err := p.m.GeneratePreKeys(c.ctx, id, 1)
		if err == nil {
			pub = pks[0].PublicKey
		}
		return err
	})
	return pub, err
}

// Bundle makes name start a session with peer from peer's bundle with
// signed prekey signedID and, if preKeyID is not nil, that one-time prekey.
// It draws the base key, then the first sending ratchet key (32 bytes
// each).
func (c *Conversation) Bundle(name, peer string, signedID uint32, preKeyID *uint32, rand io.Reader) error {
	p, err := c.party(name)
	if err != nil {
		return err
	}
	q, err := c.party(peer)
	if err != nil {
		return err
	}
	var pk uint32
	if preKeyID != nil {
		pk = *preKeyID
	}
	b, err := q.m.Bundle(c.ctx, DeviceID, signedID, preKeyID != nil, pk)
	if err != nil {
		return err
	}
	return p.run(rand, func() error { return p.m.ProcessBundle(c.ctx, q.addr, b) })
}

// Send encrypts plaintext from name to peer and returns the message and
// its number.
func (c *Conversation) Send(name, peer string, plaintext []byte) (int, Message, error) {
	p, err := c.party(name)
	if err != nil {
		return 0, Message{}, err
	}
	q, err := c.party(peer)
	if err != nil {
		return 0, Message{}, err
	}
	var ct session.Ciphertext
	err = p.run(nil, func() error {
		var err error
		ct, err = p.m.Encrypt(c.ctx, q.addr, plaintext)
		return err
	})
	if err != nil {
		return 0, Message{}, err
	}
	m := Message{From: name, To: peer, Ciphertext: ct}
	c.messages = append(c.messages, m)
	return len(c.messages) - 1, m, nil
}

// Skip makes name encrypt count empty messages to peer that are never
// delivered (they get no numbers).
func (c *Conversation) Skip(name, peer string, count int) error {
	p, err := c.party(name)
	if err != nil {
		return err
	}
	q, err := c.party(peer)
	if err != nil {
		return err
	}
	return p.run(nil, func() error {
		for range count {
			if _, err := p.m.Encrypt(c.ctx, q.addr, nil); err != nil {
				return err
			}
		}
		return nil
	})
}

// Deliver makes name decrypt message number index, sent to it by peer, as
// coming from peer's address. If tamperOffset is not nil, the byte at that
// offset is XORed with 0x01 first. It returns the plaintext and the
// library's error (decryptErr), and a non-nil err only if the step could
// not run or a failed decryption changed name's store.
func (c *Conversation) Deliver(name, peer string, index int, tamperOffset *int, rand io.Reader) (plaintext []byte, decryptErr, err error) {
	p, err := c.party(name)
	if err != nil {
		return nil, nil, err
	}
	q, err := c.party(peer)
	if err != nil {
		return nil, nil, err
	}
	if index < 0 || index >= len(c.messages) {
		return nil, nil, fmt.Errorf("sim: no message %d", index)
	}
	m := c.messages[index]
	if m.From != peer || m.To != name {
		return nil, nil, fmt.Errorf("sim: message %d is from %s to %s", index, m.From, m.To)
	}
	body := bytes.Clone(m.Body)
	if tamperOffset != nil {
		if *tamperOffset < 0 || *tamperOffset >= len(body) {
			return nil, nil, fmt.Errorf("sim: tamper offset %d outside message %d", *tamperOffset, index)
		}
		body[*tamperOffset] ^= 0x01
	}
	before, err := p.digest(c.ctx, q.addr)
	if err != nil {
		return nil, nil, err
	}
	decryptErr = p.run(rand, func() error {
		return p.m.Decrypt(c.ctx, q.addr, session.Ciphertext{Type: m.Type, Body: body}, func(pt []byte) error {
			plaintext = bytes.Clone(pt)
			return nil
		})
	})
	if decryptErr != nil {
		after, err := p.digest(c.ctx, q.addr)
		if err != nil {
			return nil, nil, err
		}
		if after != before {
			return nil, nil, fmt.Errorf("sim: rejected message %d (%v) changed %s's store", index, decryptErr, name)
		}
	}
	return plaintext, decryptErr, nil
}

// Message returns message number i, which must exist.
func (c *Conversation) Message(i int) Message { return c.messages[i] }

// Record returns the session record name's store holds for peer's address.
func (c *Conversation) Record(name, peer string) ([]byte, error) {
	p, err := c.party(name)
	if err != nil {
		return nil, err
	}
	q, err := c.party(peer)
	if err != nil {
		return nil, err
	}
	var rec []byte
	err = p.store.Update(c.ctx, func(tx keystore.Tx) error {
		var err error
		rec, err = tx.Session(q.addr)
		return err
	})
	return rec, err
}

// Restart replaces name's Manager by a new one over the same store, so
// every cache is dropped.
func (c *Conversation) Restart(name string) error {
	p, err := c.party(name)
	if err != nil {
		return err
	}
	p.m = newManager(p.store, &p.rand)
	return nil
}

// digest hashes every record p's store holds that a message from addr
// could change.
func (p *party) digest(ctx context.Context, addr keystore.Address) ([32]byte, error) {
	h := sha256.New()
	err := p.store.Update(ctx, func(tx keystore.Tx) error {
		for _, get := range []func() ([]byte, error){
			func() ([]byte, error) { return tx.Session(addr) },
			func() ([]byte, error) { return tx.RemoteIdentity(addr) },
			tx.LocalIdentity,
		} {
			v, err := get()
			if err != nil && !errors.Is(err, keystore.ErrNotFound) {
				return err
			}
			h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(v))))
			h.Write(v)
			if err != nil {
				h.Write([]byte{0xFF})
			}
		}
		for _, list := range []func() ([]uint32, error){tx.PreKeyIDs, tx.SignedPreKeyIDs} {
			ids, err := list()
			if err != nil {
				return err
			}
			h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(ids))))
			for _, id := range ids {
				h.Write(binary.BigEndian.AppendUint32(nil, id))
			}
		}
		return nil
	})
	return [32]byte(h.Sum(nil)), err
}
