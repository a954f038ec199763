// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package verify

import (
	"slices"
	"strings"
)

// fieldType is how a header value is written.
type fieldType int

const (
	typeUnknown fieldType = iota
	typeHex               // bytes, lowercase hex
	typeInt               // unsigned decimal
	typeName              // a word from a closed set (expect, step, party, ...)
	typeText              // free text
)

func (t fieldType) String() string {
	return [...]string{"unknown", "hex", "int", "name", "text"}[t]
}

// types builds a schema from lists of keys.
func types(hex, ints, names, texts []string) map[string]fieldType {
	m := make(map[string]fieldType)
	for t, keys := range map[fieldType][]string{typeHex: hex, typeInt: ints, typeName: names, typeText: texts} {
		for _, k := range keys {
			m[k] = t
		}
	}
	return m
}

func list(s string) []string { return strings.Fields(s) }

// metaTypes are the keys every kind may use: expect, comment, and those of
// derived vectors.
var metaTypes = types(list("byte suffix"), list("bit length offset"), list("expect mutation target"), list("comment source other"))

// stateTypes are the keys of one session state in a session-record vector,
// after its "current." or "archived.N." prefix.
var stateTypes = types(
	list("local_identity remote_identity alice_base_key root_key sender_ratchet_public sender_ratchet_private sender_chain_key receiver.N.ratchet_public receiver.N.chain_key receiver.N.skipped_seeds pending_base_key"),
	list("session_version local_registration_id remote_registration_id previous_counter sender_index receiver_chains receiver.N.index pending_prekey_id pending_signed_prekey_id"),
	nil, list("receiver.N.skipped_indexes"))

// kindTypes is the schema of each kind (README.md documents each field).
var kindTypes = map[string]map[string]fieldType{
	"xeddsa": types(list("private random public message signature"), nil, nil, nil),
	"x3dh": types(list(`identity_a_private identity_a_public base_a_private base_a_public identity_b_private identity_b_public
		signed_prekey_b_private signed_prekey_b_public signature_random signed_prekey_signature
		onetime_prekey_b_private onetime_prekey_b_public root_key chain_key`), nil, nil, nil),
	"kdf-rk":       types(list("root_key our_private our_public their_public new_root_key chain_key"), nil, nil, nil),
	"kdf-ck":       types(list("chain_key message_key_seed next_chain_key"), list("index"), nil, nil),
	"message-keys": types(list("message_key_seed cipher_key mac_key iv"), list("counter"), nil, nil),
	"message": types(list("ratchet_key plaintext cipher_key iv ciphertext mac_key sender_identity receiver_identity"),
		list("version counter previous_counter"), nil, nil),
	"prekey-message": types(list("base_key identity_key message"), list("version registration_id prekey_id signed_prekey_id"), nil, nil),
	"transcript": types(list(`identity_private identity_public signed_prekey_private signature_random signed_prekey_public signature
		prekey_private prekey_public base_key_private ratchet_key_private base_key_public ratchet_key_public plaintext body`),
		list("registration_id id timestamp signed_prekey_id prekey_id message type count tamper_offset"),
		list("step party peer address"), nil),
	"session-record": types(list("send_plaintext send_body receive_body receive_plaintext"),
		list("record_version archived_states send_type receive_type"), nil, nil),
	"ratchet-digest": types(list("seed digest"), list("conversations steps"), nil, nil),
	"envelope":       types(list("body"), list("version type"), nil, list("sender recipient")),
	"content": types(list("message_id attachment_key digest reaction_target receipt_message"),
		list("sent_at size remove receipt_type action"), list("body_type"),
		list("origin_app sender text pointer content_type emoji")),
	"safety-number": types(list("identity_a identity_b identity_m scannable_a scannable_b"), nil, nil, list("digits_a digits_b")),
	"prekey-record": types(list("identity_private identity_public prekey_private prekey_public signature_random signature"),
		list("record_version id timestamp"), list("record"), nil),
	"pqxdh": types(list(`identity_a_private identity_a_public base_a_private base_a_public identity_b_private identity_b_public
		signed_prekey_b_private signed_prekey_b_public signature_random signed_prekey_signature
		onetime_prekey_b_private onetime_prekey_b_public kem_prekey_seed kem_signature_random kem_prekey_private kem_prekey_public
		kem_prekey_signature kem_encapsulation_random kem_ciphertext root_key chain_key pq_ratchet_key`), nil, nil, nil),
	"spqr": types(list("auth_key random body key rejection_secret"), list("epoch_a epoch_b message tamper_offset"), list("step party"), nil),
	"v4-session": types(list(`identity_a_private identity_a_public identity_b_private identity_b_public
		signed_prekey_b_private signed_prekey_b_public signature_random signed_prekey_signature
		onetime_prekey_b_private onetime_prekey_b_public kem_prekey_seed kem_signature_random kem_prekey_private kem_prekey_public
		kem_prekey_signature base_a_private base_a_public kem_encapsulation_random kem_ciphertext
		ratchet_key_a_private ratchet_key_a_public address_a address_b
		plaintext random body rejection_secret ratchet_key_private ratchet_key_public`),
		list("registration_id_a signed_prekey_id prekey_id kem_prekey_id message type tamper_offset"),
		list("step party"), nil),
}

// Kinds returns the vector kinds this verifier knows, sorted.
func Kinds() []string {
	var out []string
	for k := range kindTypes {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// normalize replaces every all-digit dot-separated part of key with "N".
func normalize(key string) string {
	parts := strings.Split(key, ".")
	for i, p := range parts {
		if p != "" && strings.Trim(p, "0123456789") == "" {
			parts[i] = "N"
		}
	}
	return strings.Join(parts, ".")
}

func typeOf(kind, key string) fieldType {
	if t, ok := metaTypes[key]; ok {
		return t
	}
	k := normalize(key)
	if t, ok := kindTypes[kind][k]; ok {
		return t
	}
	if kind == "session-record" {
		for _, prefix := range []string{"current.", "archived.N."} {
			if rest, ok := strings.CutPrefix(k, prefix); ok {
				return stateTypes[rest]
			}
		}
	}
	return typeUnknown
}

// IsHexField reports whether key holds bytes (written in hex) in vectors
// of kind. Every such value is an input or an expected output of some
// check, so changing any of its bytes makes the vector fail.
func IsHexField(kind, key string) bool { return typeOf(kind, key) == typeHex }
