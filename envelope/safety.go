// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"context"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"fmt"

	"github.com/crossseal/crossseal/internal/pb"
	"github.com/crossseal/crossseal/x3dh"
	"google.golang.org/protobuf/proto"
)

// Safety numbers follow libsignal's fingerprint.rs (NumericFingerprint):
// for each party,
//
//	h_0 = SHA-512(0x0000 ‖ key ‖ stable_id ‖ key)
//	h_i = SHA-512(h_{i-1} ‖ key),  i = 1..5199
//
// where key is the 33-byte serialized identity key. The first 30 bytes of
// h_5199 give six 5-digit chunks (each 5 bytes big-endian, mod 100000); the
// two parties' 30-digit halves are concatenated smaller first, so both see
// the same 60 digits.
//
// libsignal's stable_id is the user's phone number or service id. An
// identity may serve accounts on several apps, with a different handle on
// each, so crossseal uses the empty stable_id: the number depends on the
// two identity keys only, and two people see the same number whichever
// apps they talk on.
const (
	safetyNumberIterations = 5200
	// ScannableVersion is the version field of the scannable form. libsignal
	// uses 1 (phone-number stable ids) and 2 (service ids); crossseal's
	// empty stable id gives different fingerprints, so it uses its own
	// version and a libsignal app scanning a crossseal code reports a
	// version mismatch rather than a wrong key.
	ScannableVersion = 100
	// scannableFingerprintSize is the per-party fingerprint size in the
	// scannable form (libsignal's ScannableFingerprint: 32 bytes).
	scannableFingerprintSize = 32
)

// SafetyNumber is what two users compare to detect a man in the middle:
// 60 digits to read out, or a code to scan. It is computed from the two
// identity keys only. All of it is public.
type SafetyNumber struct {
	digits        string
	local, remote [scannableFingerprintSize]byte
}

// NewSafetyNumber computes the safety number between the identity keys
// local (ours) and remote (theirs). Both sides get the same digits.
func NewSafetyNumber(local, remote x3dh.PublicKey) *SafetyNumber {
	return newSafetyNumber(nil, local, nil, remote)
}

// newSafetyNumber is libsignal's Fingerprint::new with iterations 5200;
// crossseal passes empty stable ids (tests check libsignal's vectors).
func newSafetyNumber(localID []byte, local x3dh.PublicKey, remoteID []byte, remote x3dh.PublicKey) *SafetyNumber {
	l, r := fingerprint(localID, local), fingerprint(remoteID, remote)
	s := &SafetyNumber{}
	copy(s.local[:], l[:])
	copy(s.remote[:], r[:])
	ld, rd := displayDigits(l[:30]), displayDigits(r[:30])
	if ld < rd {
		s.digits = ld + rd
	} else {
		s.digits = rd + ld
	}
	return s
}

func fingerprint(stableID []byte, key x3dh.PublicKey) [sha512.Size]byte {
	k := key.Bytes()
	h := sha512.New()
	h.Write([]byte{0, 0}) // fingerprint format version 0x0000
	h.Write(k)
	h.Write(stableID)
	h.Write(k)
	var buf [sha512.Size]byte
	h.Sum(buf[:0])
	for i := 1; i < safetyNumberIterations; i++ {
		h.Reset()
		h.Write(buf[:])
		h.Write(k)
		h.Sum(buf[:0])
	}
	return buf
}

// displayDigits encodes 30 bytes as six 5-digit chunks.
func displayDigits(b []byte) string {
	var out []byte
	for i := 0; i < 30; i += 5 {
		var x [8]byte
		copy(x[3:], b[i:i+5])
		out = fmt.Appendf(out, "%05d", binary.BigEndian.Uint64(x[:])%100000)
	}
	return string(out)
}

// SafetyNumber returns the safety number between this client and peer,
// from the identity key trusted for peer. It fails (matching
// session.ErrNoSession) if no identity is known for peer yet.
func (c *Client) SafetyNumber(ctx context.Context, peer Address) (*SafetyNumber, error) {
	key, err := c.PeerIdentity(ctx, peer)
	if err != nil {
		return nil, fmt.Errorf("envelope: safety number with %s: %w", peer, err)
	}
	return NewSafetyNumber(c.identity, key), nil
}

// String returns the 60 digits.
func (s *SafetyNumber) String() string { return s.digits }

// Display returns the digits in twelve groups of five separated by spaces,
// as apps show them.
func (s *SafetyNumber) Display() string {
	out := make([]byte, 0, 71)
	for i := 0; i < len(s.digits); i += 5 {
		if i > 0 {
			out = append(out, ' ')
		}
		out = append(out, s.digits[i:i+5]...)
	}
	return string(out)
}

// Equal reports in constant time whether s and o have the same digits.
func (s *SafetyNumber) Equal(o *SafetyNumber) bool {
	return subtle.ConstantTimeCompare([]byte(s.digits), []byte(o.digits)) == 1
}

// Scannable returns the code to show as a QR code: libsignal's
// CombinedFingerprints protobuf (version [ScannableVersion], then our and
// their 32-byte fingerprints).
func (s *SafetyNumber) Scannable() []byte { return s.scannable(ScannableVersion) }

func (s *SafetyNumber) scannable(version uint32) []byte {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(&pb.CombinedFingerprints{
		Version:           version,
		LocalFingerprint:  &pb.LogicalFingerprint{Content: s.local[:]},
		RemoteFingerprint: &pb.LogicalFingerprint{Content: s.remote[:]},
	})
	if err != nil {
		panic("crossseal/envelope: internal error: " + err.Error())
	}
	return b
}

// ScannableText returns [SafetyNumber.Scannable] in unpadded base64url, for
// QR payloads and links.
func (s *SafetyNumber) ScannableText() string {
	return base64.RawURLEncoding.EncodeToString(s.Scannable())
}

// VerifyScanned reports whether scanned, the other party's
// [SafetyNumber.Scannable] code, matches s: their local fingerprint must be
// our remote one and vice versa, compared in constant time. It returns a
// [*ParseError] for a malformed code and a [*VersionError] for another
// version.
func (s *SafetyNumber) VerifyScanned(scanned []byte) (bool, error) {
	var p pb.CombinedFingerprints
	if err := proto.Unmarshal(scanned, &p); err != nil {
		return false, &ParseError{"scanned safety number", "bad protobuf"}
	}
	if p.Version != ScannableVersion {
		return false, &VersionError{"scanned safety number", p.Version}
	}
	theirLocal, theirRemote := p.GetLocalFingerprint().GetContent(), p.GetRemoteFingerprint().GetContent()
	if len(theirLocal) != scannableFingerprintSize || len(theirRemote) != scannableFingerprintSize {
		return false, &ParseError{"scanned safety number", "fingerprint is not 32 bytes"}
	}
	same := subtle.ConstantTimeCompare(theirLocal, s.remote[:]) & subtle.ConstantTimeCompare(theirRemote, s.local[:])
	return same == 1, nil
}

// VerifyScannedText is [SafetyNumber.VerifyScanned] for the
// [SafetyNumber.ScannableText] form.
func (s *SafetyNumber) VerifyScannedText(scanned string) (bool, error) {
	b, err := base64.RawURLEncoding.DecodeString(scanned)
	if err != nil {
		return false, &ParseError{"scanned safety number", "bad base64url"}
	}
	return s.VerifyScanned(b)
}
