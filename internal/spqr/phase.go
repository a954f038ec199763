// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package spqr

import (
	"fmt"
	"io"
	"slices"

	"github.com/crossseal/crossseal/internal/spqr/erasure"
	"github.com/crossseal/crossseal/internal/spqr/mlkem768"
)

// kind is a state of the ML-KEM Braid (the ML-KEM Braid specification's
// state machine, chunked variant). In each epoch one party sends an
// encapsulation key (header first, then the key vector) and the other a
// ciphertext (ct1 as soon as the header is known, ct2 once the key vector
// is); the roles swap every epoch.
type kind uint8

const (
	// The party sending the encapsulation key this epoch.
	keysUnsampled     kind = 1 // no key pair yet
	keysSampled       kind = 2 // sending header chunks
	headerSent        kind = 3 // sending key vector chunks, receiving ct1
	ct1Received       kind = 4 // sending key vector chunks (with ct1 ack)
	ekSentCt1Received kind = 5 // acknowledging ct1, receiving ct2
	// The party sending the ciphertext this epoch.
	noHeaderReceived     kind = 6  // receiving header chunks
	headerReceived       kind = 7  // header verified, ct1 not yet sampled
	ct1Sampled           kind = 8  // sending ct1 chunks, receiving the key vector
	ekReceivedCt1Sampled kind = 9  // sending ct1 chunks until acknowledged
	ct1Acknowledged      kind = 10 // receiving the key vector
	ct2Sampled           kind = 11 // sending ct2 chunks until the next epoch
)

// Sizes of what the braid transfers.
const (
	hdrMsgSize = mlkem768.HeaderSize + macSize
	ct2MsgSize = mlkem768.Ciphertext2Size + macSize
)

// phase is the braid's state in the current epoch. The public byte slices
// (ek, hdr, ct1) are never modified in place once set, so clones share
// them; the secret ones (seed, es) are copied and wiped.
type phase struct {
	kind  kind
	epoch uint64
	auth  authenticator
	seed  []byte // our decapsulation key seed (kinds 2-5)
	ek    []byte // our key vector to send (2) or the peer's, received (9)
	hdr   []byte // the peer's header (7, 8, 10)
	es    []byte // encapsulation state between ct1 and ct2 (8, 9, 10)
	ct1   []byte // ct1 received (4, 5) or sent (8, 9, 10)
	enc   *erasure.Encoder
	dec   *erasure.Decoder
}

// epochKey is the secret an epoch contributes to the chain.
type epochKey struct {
	epoch  uint64
	secret [32]byte
}

func newPhase(authKey []byte, dir Direction) phase {
	p := phase{epoch: 1, auth: newAuthenticator(authKey)}
	if dir == A2B {
		p.kind = keysUnsampled
	} else {
		p.toNoHeaderReceived()
	}
	return p
}

func mustDecoder(n int) *erasure.Decoder {
	d, err := erasure.NewDecoder(n)
	if err != nil {
		panic("crossseal/spqr: internal error: " + err.Error())
	}
	return d
}

func mustEncoder(msg []byte) *erasure.Encoder {
	e, err := erasure.NewEncoder(msg)
	if err != nil {
		panic("crossseal/spqr: internal error: " + err.Error())
	}
	return e
}

// reset keeps only kind, epoch and the authenticator.
func (p *phase) reset(k kind, epoch uint64) {
	clear(p.seed)
	clear(p.es)
	*p = phase{kind: k, epoch: epoch, auth: p.auth}
}

func (p *phase) toNoHeaderReceived() {
	p.reset(noHeaderReceived, p.epoch)
	p.dec = mustDecoder(hdrMsgSize)
}

// send advances the phase for one outgoing message and returns what the
// message carries, and the epoch secret if this message completes one.
func (p *phase) send(rand io.Reader) (msgType, erasure.Chunk, *epochKey, error) {
	switch p.kind {
	case keysUnsampled:
		dk, err := mlkem768.GenerateKey(rand)
		if err != nil {
			return 0, erasure.Chunk{}, nil, fmt.Errorf("spqr: generating key: %w", err)
		}
		hdr := dk.Header()
		mac := p.auth.macHeader(p.epoch, hdr)
		p.reset(keysSampled, p.epoch)
		p.seed = dk.Seed()
		p.ek = dk.EncapsulationKeyVector()
		p.enc = mustEncoder(append(hdr, mac[:]...))
		return typeHdr, p.enc.NextChunk(), nil, nil
	case keysSampled:
		return typeHdr, p.enc.NextChunk(), nil, nil
	case headerSent:
		return typeEk, p.enc.NextChunk(), nil, nil
	case ct1Received:
		return typeEkCt1Ack, p.enc.NextChunk(), nil, nil
	case ekSentCt1Received:
		return typeCt1Ack, erasure.Chunk{}, nil, nil
	case noHeaderReceived, ct1Acknowledged:
		return typeNone, erasure.Chunk{}, nil, nil
	case headerReceived:
		ct1, es, ss, err := mlkem768.Encapsulate1(p.hdr, rand)
		if err != nil {
			return 0, erasure.Chunk{}, nil, fmt.Errorf("spqr: encapsulating: %w", err)
		}
		key := &epochKey{epoch: p.epoch, secret: epochSecret(p.epoch, ss)}
		clear(ss)
		p.auth.update(p.epoch, key.secret[:])
		p.kind = ct1Sampled
		p.es, p.ct1 = es, ct1
		p.enc = mustEncoder(ct1)
		return typeCt1, p.enc.NextChunk(), key, nil
	case ct1Sampled, ekReceivedCt1Sampled:
		return typeCt1, p.enc.NextChunk(), nil, nil
	case ct2Sampled:
		return typeCt2, p.enc.NextChunk(), nil, nil
	}
	return 0, erasure.Chunk{}, nil, fmt.Errorf("%w: phase %d", ErrCorruptState, p.kind)
}

// recv advances the phase with an incoming message and returns the epoch
// secret if the message completes one.
func (p *phase) recv(m *message) (*epochKey, error) {
	if m.epoch > p.epoch {
		if p.kind == ct2Sampled && m.epoch == p.epoch+1 {
			// The peer decapsulated our ciphertext and moved on: we send
			// the next key.
			p.reset(keysUnsampled, p.epoch+1)
			return nil, nil
		}
		return nil, fmt.Errorf("%w: message epoch %d, ours %d", ErrEpoch, m.epoch, p.epoch)
	}
	if m.epoch < p.epoch {
		return nil, nil
	}
	switch p.kind {
	case keysSampled:
		if m.typ == typeCt1 {
			p.dec = mustDecoder(mlkem768.Ciphertext1Size)
			p.dec.AddChunk(m.chunk)
			p.enc = mustEncoder(p.ek)
			p.ek = nil
			p.kind = headerSent
		}
	case headerSent:
		if m.typ == typeCt1 {
			p.dec.AddChunk(m.chunk)
			if ct1, ok := p.dec.Message(); ok {
				p.ct1, p.dec = ct1, nil
				p.kind = ct1Received
			}
		}
	case ct1Received:
		if m.typ == typeCt2 {
			p.dec = mustDecoder(ct2MsgSize)
			p.dec.AddChunk(m.chunk)
			p.enc = nil
			p.kind = ekSentCt1Received
		}
	case ekSentCt1Received:
		if m.typ == typeCt2 {
			p.dec.AddChunk(m.chunk)
			if msg, ok := p.dec.Message(); ok {
				return p.finishEpoch(msg)
			}
		}
	case noHeaderReceived:
		if m.typ == typeHdr {
			p.dec.AddChunk(m.chunk)
			if msg, ok := p.dec.Message(); ok {
				hdr, mac := msg[:mlkem768.HeaderSize], msg[mlkem768.HeaderSize:]
				if !p.auth.verifyHeader(p.epoch, hdr, mac) {
					return nil, fmt.Errorf("%w: header of epoch %d", ErrAuthentication, p.epoch)
				}
				p.kind = headerReceived
				p.hdr = hdr
				p.dec = mustDecoder(mlkem768.EncapsulationKeySize)
			}
		}
	case ct1Sampled:
		if m.typ == typeEk || m.typ == typeEkCt1Ack {
			acked := m.typ == typeEkCt1Ack
			p.dec.AddChunk(m.chunk)
			if ek, ok := p.dec.Message(); ok {
				if !mlkem768.EncapsulationKeyMatchesHeader(ek, p.hdr) {
					return nil, ErrErroneousData
				}
				if acked {
					return nil, p.sendCt2(ek)
				}
				p.kind = ekReceivedCt1Sampled
				p.ek, p.dec, p.hdr = ek, nil, nil
			} else if acked {
				p.kind = ct1Acknowledged
				p.enc = nil
			}
		}
	case ekReceivedCt1Sampled:
		if m.typ == typeCt1Ack || m.typ == typeEkCt1Ack {
			return nil, p.sendCt2(p.ek)
		}
	case ct1Acknowledged:
		if m.typ == typeEk || m.typ == typeEkCt1Ack {
			p.dec.AddChunk(m.chunk)
			if ek, ok := p.dec.Message(); ok {
				if !mlkem768.EncapsulationKeyMatchesHeader(ek, p.hdr) {
					return nil, ErrErroneousData
				}
				return nil, p.sendCt2(ek)
			}
		}
	case keysUnsampled, headerReceived, ct2Sampled:
	default:
		return nil, fmt.Errorf("%w: phase %d", ErrCorruptState, p.kind)
	}
	return nil, nil
}

// finishEpoch decapsulates the complete ciphertext, checks its MAC, and
// hands the sending of the next header to the peer.
func (p *phase) finishEpoch(msg []byte) (*epochKey, error) {
	ct2, mac := msg[:mlkem768.Ciphertext2Size], msg[mlkem768.Ciphertext2Size:]
	dk, err := mlkem768.NewDecapsulationKey(p.seed)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorruptState, err)
	}
	ss, err := dk.Decapsulate(p.ct1, ct2)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorruptState, err)
	}
	key := &epochKey{epoch: p.epoch, secret: epochSecret(p.epoch, ss)}
	clear(ss)
	p.auth.update(p.epoch, key.secret[:])
	ct := make([]byte, 0, len(p.ct1)+len(ct2))
	ct = append(append(ct, p.ct1...), ct2...)
	if !p.auth.verifyCiphertext(p.epoch, ct, mac) {
		return nil, fmt.Errorf("%w: ciphertext of epoch %d", ErrAuthentication, p.epoch)
	}
	p.epoch++
	p.toNoHeaderReceived()
	return key, nil
}

// sendCt2 completes the encapsulation to the peer's key and starts
// sending ct2 ‖ MAC.
func (p *phase) sendCt2(ek []byte) error {
	ct2, err := mlkem768.Encapsulate2(ek, p.es)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrErroneousData, err)
	}
	ct := make([]byte, 0, len(p.ct1)+len(ct2))
	ct = append(append(ct, p.ct1...), ct2...)
	mac := p.auth.macCiphertext(p.epoch, ct)
	p.reset(ct2Sampled, p.epoch)
	p.enc = mustEncoder(append(ct2, mac[:]...))
	return nil
}

func (p *phase) clone() phase {
	c := *p
	c.seed = slices.Clone(p.seed)
	c.es = slices.Clone(p.es)
	if p.enc != nil {
		e, err := erasure.RestoreEncoder(p.enc.Message(), p.enc.Index())
		if err != nil {
			panic("crossseal/spqr: internal error: " + err.Error())
		}
		c.enc = e
	}
	if p.dec != nil {
		d, err := erasure.RestoreDecoder(p.dec.Length(), p.dec.Chunks())
		if err != nil {
			panic("crossseal/spqr: internal error: " + err.Error())
		}
		c.dec = d
	}
	return c
}

func (p *phase) wipe() {
	p.auth.wipe()
	clear(p.seed)
	clear(p.es)
}
