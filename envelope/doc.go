// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package envelope is what apps call to message users on other apps: one
// protocol (Signal v3: X3DH + Double Ratchet) for every cross-app message,
// with no plaintext path. A [Client] is one account on one app; it needs a
// [keystore.Store] for its keys and sessions and a [Directory] (the app's
// prekey server) to publish and fetch bundles.
//
// # Model
//
// An [Address] is (app, user, device), written "app:user.device", for
// example "whatsapp:+15551234567.1", "instagram:bob_ig.2" or
// "messenger:100004217.1"; an [Account] is (app, user). [Client.Seal]
// encodes a [Content] (text, attachment pointer, reaction, receipt or
// typing indicator, with a random message id, the send time and the origin
// app), pads it to a multiple of 160 bytes so that lengths leak only a
// bucket, encrypts it once per device of the recipient account (starting
// sessions from directory bundles as needed) and returns one [Envelope]
// per device. An envelope carries only what a relay needs: format version,
// sender and recipient addresses, message type (PreKey or Whisper) and the
// exact Signal wire bytes; [Parse] and [Envelope.Marshal] need no keys.
// The sender's address is also bound inside the encrypted content, so a
// relay cannot relabel who sent a message.
//
// [Client.Open] decrypts an envelope and passes the message to a callback
// inside the store transaction that advances the session; the session only
// commits if the callback succeeds. Store the message in the callback,
// acknowledge the envelope to the server after Open returns, and treat
// [ErrDuplicate] (a redelivery, or a relay's duplicate) as "already
// delivered, acknowledge it": each message is then delivered exactly once,
// whatever the relay drops, duplicates or reorders. Every rejected envelope
// (tampered, misaddressed, of an unknown version or type, badly padded)
// returns a typed error and leaves the store unchanged.
//
// # Identities across apps and safety numbers
//
// Each account has an identity key. One person may use one identity for
// accounts on several apps ([WithIdentityKey]) or one per app; envelopes
// work the same. Safety numbers ([SafetyNumber]) are computed from the two
// identity keys alone, so two people compare the same 60 digits whichever apps they use.
// Identities are trusted on first use; a changed key fails with
// [ErrUntrustedIdentity] until the app calls [Client.TrustIdentity].
//
// # Policy
//
// A client accepts envelopes of its minimum profile or stronger
// ([WithMinProfile]; [ErrPolicy] otherwise). Profiles v3 (X3DH, what
// WhatsApp-style peers speak) and v4 (PQXDH + SPQR, post-quantum, what
// Signal speaks) are implemented; a client publishes v4 and starts a v4
// session with every device whose bundle carries a signed KEM prekey, and
// [WithMinProfile]([ProfileV4]) makes it refuse anything weaker. A client remembers the strongest profile each
// device's bundles advertised and refuses weaker envelopes from that device
// with [ErrDowngrade], so a peer that has announced v4 cannot be silently
// downgraded.
//
// # Layering
//
// envelope is the top of crossseal: it depends on session (and, through
// it, x3dh and ratchet) and on the keystore interfaces. Its own records
// (prekey ids, what it learned about peers) live in the keystore's opaque
// values.
package envelope
