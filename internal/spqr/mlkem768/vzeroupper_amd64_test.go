// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

//go:build amd64 && !purego

package mlkem768

import (
	"crypto/hmac"
	"crypto/sha256"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cloudflare/circl/pke/kyber/kyber768"
)

// TestDetectAVX2 compares the CPUID-based detection with the flags Linux
// reports.
func TestDetectAVX2(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc/cpuinfo")
	}
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Skip(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, flags, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(name) != "flags" {
			continue
		}
		want := slices.Contains(strings.Fields(flags), "avx2")
		if hasAVX2 != want {
			t.Fatalf("hasAVX2 = %v, /proc/cpuinfo says %v", hasAVX2, want)
		}
		return
	}
	t.Skip("no flags line in /proc/cpuinfo")
}

// macTimer returns a function that times macs HMAC-SHA256 computations
// after running before, keeping the best of several rounds so that
// scheduling noise does not make the timing tests flaky.
func macTimer(data []byte) func(before func()) time.Duration {
	key := make([]byte, 32)
	return func(before func()) time.Duration {
		const macs, rounds = 100, 7
		best := time.Duration(1 << 62)
		for range rounds {
			before()
			start := time.Now()
			for range macs {
				m := hmac.New(sha256.New, key)
				m.Write(data)
				m.Sum(nil)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
}

// TestCleanUpperState checks, on this CPU, that a circl K-PKE encryption
// makes the SHA-256 that follows slow (if it does not, the CPU has no
// penalty and the test is skipped) and that cleanUpperState removes the
// slowdown.
func TestCleanUpperState(t *testing.T) {
	if testing.Short() || !hasAVX2 {
		t.Skip("timing test; needs AVX2")
	}
	k, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	var pk kyber768.PublicKey
	pk.Unpack(k.EncapsulationKey())
	ct, m := make([]byte, CiphertextSize), make([]byte, MessageSize)
	timeMACs := macTimer(m)
	alone := timeMACs(cleanUpperState)
	dirty := timeMACs(func() { pk.EncryptTo(ct, m, m) })
	clean := timeMACs(func() { pk.EncryptTo(ct, m, m); cleanUpperState() })
	t.Logf("HMAC-SHA256 ×100: %v alone, %v after circl, %v after circl and cleanUpperState", alone, dirty, clean)
	if clean > 3*alone {
		t.Errorf("HMAC-SHA256 after cleanUpperState is %.1f times slower", float64(clean)/float64(alone))
	}
	if dirty < 5*alone {
		t.Skipf("no dirty-upper-state penalty on this CPU (%.1f times)", float64(dirty)/float64(alone))
	}
}

// TestSHA256NotSlowedByCircl checks that HMAC-SHA256 after Encapsulate1
// and Encapsulate2 costs about what it costs alone. (Today it would pass
// even without their cleanUpperState calls, because the Go runtime's
// memclr of the buffers they wipe ends with VZEROUPPER; the explicit
// calls do not rely on that.)
func TestSHA256NotSlowedByCircl(t *testing.T) {
	if testing.Short() || !hasAVX2 {
		t.Skip("timing test; needs AVX2")
	}
	k, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	header, vector := k.Header(), k.EncapsulationKeyVector()
	_, state, _ := mustEncapsulate1(t, header, nil)
	timeMACs := macTimer(vector)
	alone := timeMACs(cleanUpperState)
	for name, op := range map[string]func(){
		"Encapsulate1": func() { mustEncapsulate1(t, header, nil) },
		"Encapsulate2": func() { mustEncapsulate2(t, vector, state) },
	} {
		after := timeMACs(op)
		t.Logf("HMAC-SHA256 ×100: %v alone, %v right after %s", alone, after, name)
		if after > 3*alone {
			t.Errorf("HMAC-SHA256 after %s is %.1f times slower", name, float64(after)/float64(alone))
		}
	}
}
