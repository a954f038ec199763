// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package sqlitestore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"fmt"

	"golang.org/x/crypto/argon2"
)

// KeySize is the size of an encryption key for [WithEncryptionKey]: an
// AES-256 key.
const KeySize = 32

// SaltSize is the size of the salts [NewSalt] returns (RFC 9106 recommends
// 128 bits).
const SaltSize = 16

// Argon2id parameters of [DeriveKey]: the second recommended option of
// RFC 9106, section 4 (t=3 passes, m=64 MiB, p=4 lanes), for machines that
// cannot spare 2 GiB. They are fixed, since a change would make existing
// databases unreadable with the same passphrase.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 4
)

// DeriveKey derives a [KeySize]-byte key for [WithEncryptionKey] from a
// passphrase with Argon2id (RFC 9106, t=3, m=64 MiB, p=4). salt should come
// from [NewSalt]; the application stores it (it is not secret, for example
// next to the database file or in the platform keychain entry) and passes
// the same salt every time, since a different salt gives a different key.
// DeriveKey takes 64 MiB of memory and on the order of 100 ms. The returned key is
// secret; clear it after [Open].
func DeriveKey(passphrase, salt []byte) []byte {
	return argon2.IDKey(passphrase, salt, argonTime, argonMemory, argonThreads, KeySize)
}

// NewSalt returns [SaltSize] random bytes for [DeriveKey].
func NewSalt() []byte {
	s := make([]byte, SaltSize)
	_, _ = rand.Read(s) // never fails; see crypto/rand.Read
	return s
}

// Sealed record layout: nonce || AES-256-GCM ciphertext || tag.
const (
	nonceSize = 12
	tagSize   = 16
)

// aadPrefix versions the additional data, so that a future layout cannot
// accept records sealed under this one.
const aadPrefix = "crossseal/sqlitestore/v1\x00"

// keyCheckPlaintext is sealed into the meta table so that Open can tell a
// wrong key from corrupt records before touching anything.
const keyCheckPlaintext = "crossseal/sqlitestore key check"

// rowKey names the row a record belongs to. Sealed records carry it as
// additional data, so a record moved to another row (or table) fails
// authentication.
type rowKey struct {
	table string
	name  string // address name, value key or meta name
	num   uint64 // device or id
}

func (k rowKey) aad() []byte {
	b := make([]byte, 0, len(aadPrefix)+len(k.table)+1+binary.MaxVarintLen64+len(k.name)+8)
	b = append(b, aadPrefix...)
	b = append(b, k.table...)
	b = append(b, 0)
	b = binary.AppendUvarint(b, uint64(len(k.name)))
	b = append(b, k.name...)
	return binary.BigEndian.AppendUint64(b, k.num)
}

// sealer encrypts record BLOBs; a nil *sealer stores them as they are.
type sealer struct {
	aead cipher.AEAD
}

func newSealer(key []byte) (*sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrInvalidKey, len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: internal error: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: internal error: %w", err)
	}
	return &sealer{aead: aead}, nil
}

// seal returns the BLOB to store for record in row k. Without a key it is
// record itself (the driver copies it during the statement).
func (s *sealer) seal(k rowKey, record []byte) []byte {
	if s == nil {
		if record == nil {
			return []byte{}
		}
		return record
	}
	out := make([]byte, nonceSize, nonceSize+len(record)+tagSize)
	_, _ = rand.Read(out) // never fails; see crypto/rand.Read
	return s.aead.Seal(out, out, record, k.aad())
}

// open returns the record stored as blob in row k, which the caller owns.
// It returns an error matching ErrCorrupt if blob fails authentication.
func (s *sealer) open(k rowKey, blob []byte) ([]byte, error) {
	if s == nil {
		if blob == nil {
			return []byte{}, nil
		}
		return blob, nil
	}
	if len(blob) < nonceSize+tagSize {
		return nil, fmt.Errorf("%w: %s record too short to be sealed", ErrCorrupt, k.table)
	}
	out, err := s.aead.Open(blob[nonceSize:nonceSize], blob[:nonceSize], blob[nonceSize:], k.aad())
	if err != nil {
		return nil, fmt.Errorf("%w: %s record fails authentication", ErrCorrupt, k.table)
	}
	return out, nil
}
