// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sim

import (
	"bytes"
	"fmt"
	"io"

	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/internal/spqr"
	"github.com/crossseal/crossseal/internal/spqr/mlkem768"
	"google.golang.org/protobuf/proto"
)

// SPQR party names: "a" is the session initiator (direction A2B), "b" the
// responder (B2A).
const (
	SPQRInitiator = "a"
	SPQRResponder = "b"
)

// SPQRRun is a two-party run of the SPQR post-quantum ratchet alone,
// outside any session: the states of a and b, started from one
// authentication key, and every SPQR message they have sent, numbered from
// 0 in the order sent.
type SPQRRun struct {
	states   map[string]*spqr.State
	messages []SPQRMessage
}

// SPQRMessage is one sent SPQR message and the key its sender got for it.
type SPQRMessage struct {
	From string
	Body []byte
	Key  [spqr.KeySize]byte
}

// NewSPQRRun starts a (spqr.A2B) and b (spqr.B2A) from authKey, the SPQR
// key PQXDH agrees.
func NewSPQRRun(authKey []byte) *SPQRRun {
	return &SPQRRun{states: map[string]*spqr.State{
		SPQRInitiator: spqr.New(authKey, spqr.A2B),
		SPQRResponder: spqr.New(authKey, spqr.B2A),
	}}
}

func (r *SPQRRun) state(party string) (*spqr.State, error) {
	s, ok := r.states[party]
	if !ok {
		return nil, fmt.Errorf("sim: unknown SPQR party %q", party)
	}
	return s, nil
}

// Send makes party produce its next SPQR message, drawing randomness from
// rand, and returns the message and its number.
func (r *SPQRRun) Send(party string, rand io.Reader) (int, SPQRMessage, error) {
	s, err := r.state(party)
	if err != nil {
		return 0, SPQRMessage{}, err
	}
	body, key, err := s.Send(rand)
	if err != nil {
		return 0, SPQRMessage{}, err
	}
	m := SPQRMessage{From: party, Body: body, Key: key}
	r.messages = append(r.messages, m)
	return len(r.messages) - 1, m, nil
}

// Deliver makes party receive message number index, which the other party
// sent. If tamperOffset is not nil, the byte at that offset is XORed with
// 0x01 first. It returns the key Recv gives and Recv's error (recvErr), and
// a non-nil err only if the step could not run, or if Recv failed but
// changed party's state (its Marshal output).
func (r *SPQRRun) Deliver(party string, index int, tamperOffset *int) (key [spqr.KeySize]byte, recvErr, err error) {
	s, err := r.state(party)
	if err != nil {
		return key, nil, err
	}
	if index < 0 || index >= len(r.messages) {
		return key, nil, fmt.Errorf("sim: no SPQR message %d", index)
	}
	m := r.messages[index]
	if m.From == party {
		return key, nil, fmt.Errorf("sim: SPQR message %d is from %s", index, party)
	}
	body := bytes.Clone(m.Body)
	if tamperOffset != nil {
		if *tamperOffset < 0 || *tamperOffset >= len(body) {
			return key, nil, fmt.Errorf("sim: tamper offset %d outside SPQR message %d", *tamperOffset, index)
		}
		body[*tamperOffset] ^= 0x01
	}
	before := s.Marshal()
	key, recvErr = s.Recv(body)
	if recvErr != nil && !bytes.Equal(s.Marshal(), before) {
		return key, nil, fmt.Errorf("sim: rejected SPQR message %d (%v) changed %s's state", index, recvErr, party)
	}
	return key, recvErr, nil
}

// Message returns SPQR message number i, which must exist.
func (r *SPQRRun) Message(i int) SPQRMessage { return r.messages[i] }

// Epoch returns the epoch party's braid is working on.
func (r *SPQRRun) Epoch(party string) (uint64, error) {
	s, err := r.state(party)
	if err != nil {
		return 0, err
	}
	return s.Epoch(), nil
}

// RejectionSecret returns the shared secret that the decapsulation key
// party's state keeps (from the send that samples its key pair until its
// epoch completes) gives for the all-zero ciphertext, or nil if it keeps
// none. That ciphertext is invalid, so the secret is ML-KEM's implicit
// rejection secret J(z ‖ c) (FIPS 203, Algorithm 18), the only output
// that depends on z, the second half of the key generation's seed d ‖ z:
// no message or key of a run does. The key is read from crossseal's
// stored state (proto/spqr.proto).
func (r *SPQRRun) RejectionSecret(party string) ([]byte, error) {
	s, err := r.state(party)
	if err != nil {
		return nil, err
	}
	return rejectionSecret(s.Marshal())
}

func rejectionSecret(state []byte) ([]byte, error) {
	var p pb.SPQRState
	if err := proto.Unmarshal(state, &p); err != nil {
		return nil, fmt.Errorf("sim: SPQR state: %w", err)
	}
	seed := p.GetPhase().GetDkSeed()
	if seed == nil {
		return nil, nil
	}
	dk, err := mlkem768.NewDecapsulationKey(seed)
	if err != nil {
		return nil, fmt.Errorf("sim: SPQR state: %w", err)
	}
	return dk.Decapsulate(make([]byte, mlkem768.Ciphertext1Size), make([]byte, mlkem768.Ciphertext2Size))
}

// SPQRType returns the type byte of an SPQR v1 message (the byte after the
// version and the epoch and index varints), or -1 if body is too short.
// Generators use it to pick the chunk to tamper with.
func SPQRType(body []byte) int {
	if len(body) < 1 {
		return -1
	}
	b := body[1:]
	for range 2 { // epoch, index
		for len(b) > 0 && b[0]&0x80 != 0 {
			b = b[1:]
		}
		if len(b) == 0 {
			return -1
		}
		b = b[1:]
	}
	if len(b) == 0 {
		return -1
	}
	return int(b[0])
}
