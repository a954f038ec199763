// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package driver

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakePeerEnv selects a misbehaving fake peer: the test binary re-runs
// itself as the peer process.
const fakePeerEnv = "CROSSSEAL_DRIVER_FAKE_PEER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(fakePeerEnv); mode != "" {
		fakePeer(mode)
		return
	}
	os.Exit(m.Run())
}

// fakePeer answers requests according to mode.
func fakePeer(mode string) {
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		var req struct {
			ID json.RawMessage `json:"id"`
		}
		json.Unmarshal(in.Bytes(), &req)
		switch mode {
		case "hang":
			continue
		case "crash":
			fmt.Fprintln(os.Stderr, "fake peer: boom")
			os.Exit(3)
		case "wrongid":
			fmt.Println(`{"id":123456,"ok":true}`)
		case "notjson":
			fmt.Println(`this is not json`)
		case "error":
			fmt.Printf(`{"id":%s,"error":"nope"}`+"\n", req.ID)
		case "ok":
			fmt.Printf(`{"id":%s,"ok":true}`+"\n", req.ID)
		}
	}
	if mode == "exit1" {
		os.Exit(1)
	}
}

func startFake(t *testing.T, mode string) *Peer {
	t.Helper()
	t.Setenv(fakePeerEnv, mode)
	p, err := Start(t.Context(), "fake-"+mode, []string{os.Args[0]})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCallTimeout(t *testing.T) {
	p := startFake(t, "hang")
	p.Timeout = 300 * time.Millisecond
	begin := time.Now()
	_, err := p.Call(Request{"op": "init"})
	if err == nil || !strings.Contains(err.Error(), "no response within") {
		t.Fatalf("Call to a hung peer: err = %v, want a timeout", err)
	}
	if d := time.Since(begin); d > 5*time.Second {
		t.Errorf("timeout took %v", d)
	}
	if _, err2 := p.Call(Request{"op": "init"}); err2 == nil {
		t.Error("Call after a timeout succeeded; want the peer marked broken")
	}
	if err := p.Close(); err != nil {
		t.Errorf("Close after a reported failure: %v", err)
	}
}

func TestCallCrash(t *testing.T) {
	p := startFake(t, "crash")
	_, err := p.Call(Request{"op": "init"})
	if err == nil || !strings.Contains(err.Error(), "fake peer: boom") {
		t.Fatalf("Call to a crashing peer: err = %v, want an error quoting its stderr", err)
	}
	p.Close()
}

func TestCallFraming(t *testing.T) {
	for _, mode := range []string{"wrongid", "notjson"} {
		t.Run(mode, func(t *testing.T) {
			p := startFake(t, mode)
			defer p.Close()
			if _, err := p.Call(Request{"op": "init"}); err == nil {
				t.Fatal("Call succeeded; want a framing error")
			}
		})
	}
}

func TestPeerError(t *testing.T) {
	p := startFake(t, "error")
	defer p.Close()
	_, err := p.Decrypt("x", Message{Type: TypeSignal, Body: []byte{1}})
	var pe *PeerError
	if !errors.As(err, &pe) || pe.Message != "nope" || pe.Op != "decrypt" {
		t.Fatalf("err = %#v, want a *PeerError with the peer's message", err)
	}
	// The error names the peer and its program.
	if want := "peer fake-error (" + filepath.Base(os.Args[0]) + "): decrypt: nope"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	if got, want := Describe(p), "fake-error ("+filepath.Base(os.Args[0])+")"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	if _, err := p.Call(Request{"op": "x"}); err != nil {
		t.Fatalf("the peer must stay usable after an error response: %v", err)
	}
}

func TestClose(t *testing.T) {
	p := startFake(t, "ok")
	if _, err := p.Call(Request{"op": "x"}); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("Close of a well-behaved peer: %v", err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	p = startFake(t, "exit1")
	if err := p.Close(); err == nil {
		t.Fatal("Close of a peer exiting with status 1 returned nil")
	}
}
