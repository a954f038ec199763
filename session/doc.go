// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package session runs Signal Protocol sessions with remote devices over a
// [keystore.Store]: it starts sessions from prekey bundles (X3DH or PQXDH,
// package x3dh), answers PreKeySignalMessages, and encrypts and decrypts
// with the Double Ratchet (package ratchet). It speaks protocol version 3,
// byte compatible with WhatsApp-style peers such as go.mau.fi/libsignal,
// and version 4 (PQXDH + SPQR + address binding), byte compatible with
// libsignal 0.103 as current Signal clients use it. A bundle with a KEM
// prekey ([Manager.AddKEMPreKey], [x3dh.Bundle.KEMPreKey]) starts a v4
// session, one without a v3 session; both kinds coexist in one Manager.
//
// # Guarantees
//
// Every operation is one store transaction. Decryption runs on a copy of
// the session; the copy, any identity learned, and the removal of a
// consumed one-time prekey are committed together, and only after the MAC
// and trust checks pass and the caller's callback returns nil. A rejected
// message leaves every stored byte unchanged.
//
// Identities are trusted on first use: the first identity key seen for an
// address is stored, and a different key later fails with
// [ErrUntrustedIdentity] until the application calls
// [Manager.TrustIdentity] (typically after the users compared safety
// numbers).
//
// Up to [MaxArchivedStates] earlier sessions with a device are kept and
// tried on decrypt, so messages in flight when a session was replaced still
// decrypt.
//
// # Layering
//
// session depends on x3dh, ratchet, the keystore interfaces and internal
// packages; package envelope is built on it.
package session
