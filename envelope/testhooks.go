// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import "github.com/crossseal/crossseal/internal/testhooks"

// The content codec and padding, for the conformance vectors (testdata,
// kind content). They call the functions Seal and Open use, unchanged.
func init() {
	testhooks.MarshalContent = func(content, sender any) ([]byte, error) {
		return marshalContent(content.(*Content), sender.(Address))
	}
	testhooks.ParseContent = func(b []byte) (any, any, error) {
		c, sender, err := parseContent(b)
		if err != nil {
			return nil, nil, err
		}
		return c, sender, nil
	}
	testhooks.Pad = pad
	testhooks.Unpad = unpad
}
