// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package mlkem768_test

import (
	"bytes"
	"fmt"

	"github.com/crossseal/crossseal/internal/spqr/mlkem768"
)

// Example shows an incremental encapsulation: the encapsulating side
// starts from the header alone and finishes once the vector arrives; the
// key owner decapsulates ct1 ‖ ct2 as a standard ML-KEM-768 ciphertext.
func Example() {
	// The key owner sends the header first, then the vector.
	dk, err := mlkem768.GenerateKey(nil)
	if err != nil {
		panic(err)
	}
	header, vector := dk.Header(), dk.EncapsulationKeyVector()

	// The peer encapsulates as soon as the header has arrived...
	ct1, state, secret, err := mlkem768.Encapsulate1(header, nil)
	if err != nil {
		panic(err)
	}
	// ...and finishes when the vector has arrived and matches the header.
	if !mlkem768.EncapsulationKeyMatchesHeader(vector, header) {
		panic("vector does not match header")
	}
	ct2, err := mlkem768.Encapsulate2(vector, state)
	if err != nil {
		panic(err)
	}
	clear(state)

	// The key owner decapsulates.
	got, err := dk.Decapsulate(ct1, ct2)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(header), len(vector), len(ct1), len(ct2), bytes.Equal(got, secret))
	// Output: 64 1152 960 128 true
}
