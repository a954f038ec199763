// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package wycheproof

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
)

// HexBytes is a byte string that JSON-decodes from a string of hex
// digits, the encoding Wycheproof uses for every byte field. A field
// absent from the JSON leaves it nil; an empty string decodes to a
// non-nil empty slice, so a test can tell "no such input" from "empty
// input".
type HexBytes []byte

// UnmarshalJSON decodes a JSON string of hex digits into h. A JSON null,
// which no Wycheproof schema allows for a byte field, is an error rather
// than a missing value, as is any other non-string or non-hex input.
func (h *HexBytes) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return errors.New("wycheproof: null where a hex string is expected")
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("wycheproof: hex field: %w", err)
	}
	d, err := hex.DecodeString(s)
	if err != nil {
		return fmt.Errorf("wycheproof: hex field: %w", err)
	}
	*h = d
	return nil
}
