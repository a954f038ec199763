// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestDemo(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"demo", "--dir", t.TempDir()}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("demo exited %d: %s", code, stderr.String())
	}
	out := stdout.String()
	t.Log(out)
	for _, msg := range []string{
		"Alice (whatsapp) -> Bob (instagram): Hi Bob! Writing from WhatsApp.",
		"Bob (instagram) -> Alice (whatsapp): Hi Alice, Instagram here. Same protocol both ways.",
		"Alice (whatsapp) -> Acme (whatsapp): Hello Acme, where is my order #1234?",
		"Acme (whatsapp) -> Alice (whatsapp): It shipped today and arrives Thursday.",
		"Bob (instagram) -> Acme (messenger): Do you ship to Lisbon?",
		"Acme (messenger) -> Bob (instagram): Yes, in 3 to 5 days.",
		"Alice (whatsapp) -> Acme (messenger): Also asking on Messenger: do you sell gift cards?",
		"Acme (messenger) -> Alice (whatsapp): We do, from 10 euros.",
		"Bob (instagram) -> Acme (messenger): reacted 👍",
		"Bob (instagram) -> Acme (messenger): Thanks, ordering now.",
		"duplicate envelope from instagram:bob_ig.1 ignored",
	} {
		if strings.Count(out, msg) != 1 {
			t.Errorf("output has %q %d times, want once", msg, strings.Count(out, msg))
		}
	}

	// The relay saw only addresses and sizes: no message text after its
	// heading.
	relay := out[strings.Index(out, "What the relay saw"):strings.Index(out, "Safety numbers")]
	if n := strings.Count(relay, "-byte ciphertext"); n != 11 {
		t.Errorf("relay log has %d envelopes, want 11", n)
	}
	for _, secret := range []string{"Bob!", "order", "Lisbon", "gift", "euros", "👍"} {
		if strings.Contains(relay, secret) {
			t.Errorf("relay log contains %q", secret)
		}
	}

	// Safety numbers: each pair sees the same 60 digits, and Alice sees
	// the same number for Acme on WhatsApp and on Messenger.
	sees := regexp.MustCompile(`(?m)^    (\w+) +sees ((?:\d{5} ){11}\d{5})$`).FindAllStringSubmatch(out, -1)
	if len(sees) != 8 {
		t.Fatalf("found %d safety numbers, want 8", len(sees))
	}
	for i := 0; i < len(sees); i += 2 {
		if sees[i][2] != sees[i+1][2] {
			t.Errorf("%s sees %s but %s sees %s", sees[i][1], sees[i][2], sees[i+1][1], sees[i+1][2])
		}
	}
	if sees[2][2] != sees[4][2] {
		t.Error("Alice sees different numbers for Acme on WhatsApp and Messenger")
	}
	if sees[0][2] == sees[2][2] {
		t.Error("different pairs have the same safety number")
	}
	if strings.Count(out, "match: true, scan verifies: true") != 4 || !strings.Contains(out, "same number on both: true") {
		t.Error("a safety number check failed")
	}
}
