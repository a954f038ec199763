// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

// Address limits.
const (
	// MaxAppSize bounds an app label ("whatsapp"): 1..32 bytes of
	// [a-z0-9-], no leading or trailing '-'.
	MaxAppSize = 32
	// MaxUserSize bounds a user handle: longer than any phone number,
	// username or numeric id the apps use, and small enough that an
	// "app:user" name fits keystore.MaxNameSize.
	MaxUserSize = 256
	// MaxDevice is the largest device number (device ids are positive
	// int32 values in Signal's APIs).
	MaxDevice = 1<<31 - 1
	// maxAddressSize bounds the text form of an address.
	maxAddressSize = MaxAppSize + 1 + MaxUserSize + 1 + 10
)

// Envelope and content limits.
const (
	// MaxBodySize bounds the Signal wire bytes in an envelope: 1 MiB, the
	// Signal message codec's own limit.
	MaxBodySize = 1 << 20
	// MaxEnvelopeSize bounds a serialized envelope: the body plus room for
	// two addresses and the small fields.
	MaxEnvelopeSize = MaxBodySize + 1024

	// MaxContentSize bounds a serialized content before padding. Message
	// bodies are small (attachments travel by pointer); 256 KiB bounds the
	// work and memory a peer can cause and, padded, stays well under
	// session.MaxPlaintextSize.
	MaxContentSize = 256 << 10
	// MaxTextSize bounds a text body in bytes (longer texts go as an
	// attachment, as Signal does).
	MaxTextSize = 64 << 10
	// MaxAttachmentPointerSize bounds an attachment URL or id.
	MaxAttachmentPointerSize = 2048
	// MaxContentTypeSize bounds an attachment's MIME type.
	MaxContentTypeSize = 255
	// MaxEmojiSize bounds a reaction emoji in bytes: long enough for any
	// ZWJ sequence in use.
	MaxEmojiSize = 64
	// MaxReceiptMessages bounds the message ids acknowledged by one receipt.
	MaxReceiptMessages = 1024

	// PaddingBlockSize is the padding bucket: padded contents are a
	// multiple of 160 bytes long, as in Signal's clients.
	PaddingBlockSize = 160
)

// AttachmentKeySize is the size of an attachment key: a 32-byte AES-256
// key followed by a 32-byte HMAC-SHA256 key, as Signal's attachments use.
const AttachmentKeySize = 64

// AttachmentDigestSize is the size of an attachment digest (SHA-256 of
// the encrypted blob).
const AttachmentDigestSize = 32

// MessageIDSize is the size of a message id.
const MessageIDSize = 16

// Prekey defaults.
const (
	// DefaultPreKeyCount is the number of one-time prekeys PublishBundle
	// generates (Signal uploads 100).
	DefaultPreKeyCount = 100
	// maxPreKeyID is the largest prekey id; ids are 24-bit and wrap, as
	// in Signal's clients.
	maxPreKeyID = 0xFFFFFF
)

// maxPaddedSize is the largest padded content; it must not exceed
// session.MaxPlaintextSize (a test checks).
const maxPaddedSize = (MaxContentSize/PaddingBlockSize + 1) * PaddingBlockSize
