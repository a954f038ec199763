// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package driver

// Endpoint is one party of the scenarios: a [*Peer] (a peer process
// speaking the INTEROP.md JSON protocol) or an in-process adapter around
// an implementation (see ../inprocess). Its methods are the INTEROP.md
// ops:
//
//   - Name is the peer's name: the name other endpoints use for it in
//     ProcessBundle, Encrypt and Decrypt (the address (name, 1)), and the
//     name it is given in init.
//   - Init replaces all state with a new account and returns its bundle,
//     with the decoded fields filled in (and Raw, so that a [*Peer] can
//     forward it). A zero regID lets the endpoint pick one in 1..16380.
//   - ProcessBundle starts a session with the peer named peer from b.
//   - Encrypt returns the message for peer, with its exact wire bytes.
//   - Decrypt decrypts a message from peer and returns the plaintext.
//
// An error that the implementation reports (it rejects a message, a
// bundle or a request) must be a [*PeerError], found with errors.As; any
// other error means the endpoint itself failed (a crash, a timeout, a
// broken response), which the scenarios treat as fatal.
type Endpoint interface {
	Name() string
	Init(regID uint32) (*Bundle, error)
	ProcessBundle(peer string, b *Bundle) error
	Encrypt(peer string, plaintext []byte) (Message, error)
	Decrypt(peer string, m Message) ([]byte, error)
}

var _ Endpoint = (*Peer)(nil)

// ImplementationNamer is an optional interface of an [Endpoint]: it names
// the implementation behind the endpoint ("crossseal", "mau"), which
// failure messages then show next to the peer's name.
type ImplementationNamer interface {
	Implementation() string
}

var _ ImplementationNamer = (*Peer)(nil)

// Describe returns e's name for messages: "alice (crossseal)" if e names
// its implementation, else "alice".
func Describe(e Endpoint) string {
	return label(e.Name(), implementationOf(e))
}

func implementationOf(e Endpoint) string {
	if n, ok := e.(ImplementationNamer); ok {
		return n.Implementation()
	}
	return ""
}

// label joins a peer's name and its implementation, if known.
func label(name, impl string) string {
	if impl == "" {
		return name
	}
	return name + " (" + impl + ")"
}
