// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package spqr

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/crossseal/crossseal/internal/kdf"
)

// Chain limits, libsignal's values for a connection to another device.
const (
	// MaxJump is how far ahead of its chain a received index may be.
	MaxJump = 25000
	// MaxOutOfOrder is how many earlier keys of a chain are kept for
	// messages that arrive out of order.
	MaxOutOfOrder = 2000
	// trimSize is the number of kept keys at which old ones are dropped
	// (the SPQR crate's max_ooo * 11/10 + 1).
	trimSize = MaxOutOfOrder*11/10 + 1
	// epochsKeptBeforeSend is how many epochs before the sending epoch
	// keep their chains.
	epochsKeptBeforeSend = 1
	// maxLinks bounds the epochs a stored state may hold.
	maxLinks = 64
)

// HKDF info strings of the chain (the SPQR crate's; "Start" has two spaces).
const (
	infoChainStart = "Signal PQ Ratchet V1 Chain  Start"
	infoChainAdd   = "Signal PQ Ratchet V1 Chain Add Epoch"
	infoChainNext  = "Signal PQ Ratchet V1 Chain Next"
)

// Direction tells which of the two chains of an epoch a party sends on.
type Direction uint8

const (
	// A2B is the session initiator's direction (Alice).
	A2B Direction = 0
	// B2A is the responder's direction (Bob).
	B2A Direction = 1
)

type keyEntry struct {
	index uint32
	key   [32]byte
}

// dirChain is one direction of one epoch.
type dirChain struct {
	counter uint32
	next    [32]byte
	usable  bool       // next is valid
	prev    []keyEntry // keys skipped over, kept for out-of-order messages
}

type link struct {
	send, recv dirChain
}

// chain turns epoch secrets into message keys.
type chain struct {
	dir       Direction
	current   uint64
	sendEpoch uint64
	nextRoot  [32]byte
	links     []link // links[len-1] is epoch current
}

// newChain derives epoch 0 from the session's SPQR authentication key.
func newChain(authKey []byte, dir Direction) chain {
	var g [96]byte
	kdf.HKDF(g[:], authKey, zeroSalt[:], infoChainStart)
	c := chain{dir: dir}
	copy(c.nextRoot[:], g[:32])
	c.links = []link{c.linkFrom(&g)}
	clear(g[:])
	return c
}

var zeroSalt [32]byte

// linkFrom splits the 96-byte output of a chain step: root ‖ A2B ‖ B2A.
func (c *chain) linkFrom(g *[96]byte) link {
	var a2b, b2a dirChain
	copy(a2b.next[:], g[32:64])
	copy(b2a.next[:], g[64:96])
	a2b.usable, b2a.usable = true, true
	if c.dir == A2B {
		return link{send: a2b, recv: b2a}
	}
	return link{send: b2a, recv: a2b}
}

// addEpoch mixes the secret of epoch current+1 into the chain.
func (c *chain) addEpoch(epoch uint64, secret []byte) error {
	if epoch != c.current+1 {
		return fmt.Errorf("%w: secret for epoch %d after %d", ErrCorruptState, epoch, c.current)
	}
	var g [96]byte
	kdf.HKDF(g[:], secret, c.nextRoot[:], infoChainAdd)
	c.current = epoch
	copy(c.nextRoot[:], g[:32])
	c.links = append(c.links, c.linkFrom(&g))
	clear(g[:])
	return nil
}

// epochIndex returns the position of epoch in links.
func (c *chain) epochIndex(epoch uint64) (int, error) {
	if epoch > c.current {
		return 0, fmt.Errorf("%w: %d > current %d", ErrEpoch, epoch, c.current)
	}
	back := c.current - epoch
	if back >= uint64(len(c.links)) {
		return 0, fmt.Errorf("%w: epoch %d no longer kept", ErrEpoch, epoch)
	}
	return len(c.links) - 1 - int(back), nil
}

// nextKey advances a direction chain by one step.
func (d *dirChain) nextKey() (uint32, [32]byte) {
	d.counter++
	var info [4 + len(infoChainNext)]byte
	binary.BigEndian.PutUint32(info[:4], d.counter)
	copy(info[4:], infoChainNext)
	var g [64]byte
	kdf.HKDF(g[:], d.next[:], zeroSalt[:], string(info[:]))
	copy(d.next[:], g[:32])
	var k [32]byte
	copy(k[:], g[32:])
	clear(g[:])
	return d.counter, k
}

// sendKey returns the next sending key of epoch.
func (c *chain) sendKey(epoch uint64) (uint32, [32]byte, error) {
	if epoch < c.sendEpoch {
		return 0, [32]byte{}, fmt.Errorf("%w: sending epoch went back from %d to %d", ErrCorruptState, c.sendEpoch, epoch)
	}
	i, err := c.epochIndex(epoch)
	if err != nil {
		return 0, [32]byte{}, err
	}
	if epoch != c.sendEpoch {
		c.sendEpoch = epoch
		if drop := i - epochsKeptBeforeSend; drop > 0 {
			for j := range drop {
				c.links[j].wipe()
			}
			c.links = slices.Delete(c.links, 0, drop)
			i -= drop
		}
		for j := range i {
			clear(c.links[j].send.next[:])
			c.links[j].send.usable = false
		}
	}
	s := &c.links[i].send
	if !s.usable || s.counter == ^uint32(0) {
		return 0, [32]byte{}, fmt.Errorf("%w: sending chain of epoch %d exhausted", ErrCorruptState, epoch)
	}
	n, k := s.nextKey()
	return n, k, nil
}

// recvKey returns the key of message index in epoch.
func (c *chain) recvKey(epoch uint64, index uint32) ([32]byte, error) {
	i, err := c.epochIndex(epoch)
	if err != nil {
		return [32]byte{}, err
	}
	return c.links[i].recv.key(index)
}

// key returns the key at index, skipping (and keeping) the ones before it.
func (d *dirChain) key(at uint32) ([32]byte, error) {
	switch {
	case at == d.counter:
		return [32]byte{}, fmt.Errorf("%w: index %d", ErrKeyUsed, at)
	case at < d.counter:
		if uint64(at)+MaxOutOfOrder < uint64(d.counter) {
			return [32]byte{}, fmt.Errorf("%w: index %d, chain at %d", ErrKeyTrimmed, at, d.counter)
		}
		for i := range d.prev {
			if d.prev[i].index == at {
				k := d.prev[i].key
				clear(d.prev[i].key[:])
				d.prev = slices.Delete(d.prev, i, i+1)
				return k, nil
			}
		}
		return [32]byte{}, fmt.Errorf("%w: index %d", ErrKeyUsed, at)
	}
	if at-d.counter > MaxJump {
		return [32]byte{}, fmt.Errorf("%w: index %d, chain at %d", ErrKeyJump, at, d.counter)
	}
	if !d.usable {
		return [32]byte{}, fmt.Errorf("%w: receiving chain cleared", ErrCorruptState)
	}
	if uint64(at) > uint64(d.counter)+MaxOutOfOrder {
		d.wipePrev()
	}
	for at > d.counter+1 {
		n, k := d.nextKey()
		if uint64(n)+MaxOutOfOrder >= uint64(at) {
			d.prev = append(d.prev, keyEntry{index: n, key: k})
		}
	}
	d.trim()
	_, k := d.nextKey()
	return k, nil
}

// trim drops kept keys older than the out-of-order window once there are
// many of them.
func (d *dirChain) trim() {
	if len(d.prev) < trimSize || d.counter < MaxOutOfOrder {
		return
	}
	horizon := d.counter - MaxOutOfOrder
	d.prev = slices.DeleteFunc(d.prev, func(e keyEntry) bool {
		if e.index < horizon {
			clear(e.key[:])
			return true
		}
		return false
	})
}

func (d *dirChain) wipePrev() {
	for i := range d.prev {
		clear(d.prev[i].key[:])
	}
	d.prev = d.prev[:0]
}

func (l *link) wipe() {
	clear(l.send.next[:])
	clear(l.recv.next[:])
	l.send.wipePrev()
	l.recv.wipePrev()
}

func (c *chain) clone() chain {
	out := *c
	out.links = make([]link, len(c.links))
	for i, l := range c.links {
		out.links[i] = l
		out.links[i].send.prev = slices.Clone(l.send.prev)
		out.links[i].recv.prev = slices.Clone(l.recv.prev)
	}
	return out
}

func (c *chain) wipe() {
	clear(c.nextRoot[:])
	for i := range c.links {
		c.links[i].wipe()
	}
}
