// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Command maupeer is the INTEROP.md JSON peer wrapped around
// go.mau.fi/libsignal (v3 profile only), so the interop driver can pair
// crossseal with mau's implementation. The account logic, and the ways it
// compensates for go.mau.fi/libsignal's quirks (restoring the session after
// a failed decrypt, rejecting version bytes other than 3, recovering
// panics), live in ../../internal/maupeer; this command is the JSON line
// framing around it.
//
// It reads one JSON request per line on stdin and writes exactly one JSON
// response line per request on stdout, in order; logs go to stderr. The
// ops are those of INTEROP.md (init, process_bundle, encrypt, decrypt),
// plus one extension:
//
//	{"op":"bundle"}  →  the current bundle, as returned by init; the
//	                    prekey field is left out once a PreKey message
//	                    has consumed the one-time prekey.
//
// Each init generates a new identity, a new signed prekey and a new
// one-time prekey; no further one-time prekeys are generated after one is
// consumed (a driver that needs several sessions re-inits). Identities are
// trusted on first use. State is in memory only (--store is not
// supported). A panic anywhere in handling a request is answered with an
// error response, and the peer keeps running.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/crossseal/crossseal/interop/internal/maupeer"
	"github.com/crossseal/crossseal/interop/internal/maustore"
)

// maxLine bounds one request line. A 64 KiB payload is about 88 KiB of
// base64; 8 MiB leaves ample room. A longer line is answered with an
// error and skipped.
const maxLine = 8 << 20

type request struct {
	Op        string              `json:"op"`
	Name      string              `json:"name"`
	RegID     *uint32             `json:"reg_id"`
	Peer      string              `json:"peer"`
	Bundle    *maupeer.BundleJSON `json:"bundle"`
	Plaintext []byte              `json:"plaintext"`
	Type      int                 `json:"type"`
	Body      []byte              `json:"body"`
}

func main() {
	profile := flag.String("profile", "v3", "session profile (only v3: go.mau.fi/libsignal has no PQXDH)")
	storePath := flag.String("store", "", "not supported: maupeer keeps state in memory")
	flag.Parse()
	if *profile != "v3" {
		fmt.Fprintf(os.Stderr, "maupeer: profile %q is not supported (supported: v3)\n", *profile)
		os.Exit(2)
	}
	if *storePath != "" {
		fmt.Fprintln(os.Stderr, "maupeer: --store is not supported")
		os.Exit(2)
	}

	// mau's default logger prints every debug line, key material
	// included, to stdout, which would corrupt the protocol. Install a
	// logger that drops debug output, and point os.Stdout at stderr so
	// that nothing else in the process can write to the protocol stream.
	maustore.SetupLogger(os.Stderr)
	out := os.Stdout
	os.Stdout = os.Stderr

	if err := serve(os.Stdin, out); err != nil {
		fmt.Fprintln(os.Stderr, "maupeer:", err)
		os.Exit(1)
	}
}

// serve answers requests from in until EOF.
func serve(in io.Reader, out io.Writer) error {
	r := bufio.NewReaderSize(in, 64<<10)
	w := bufio.NewWriter(out)
	p := maupeer.New()
	for {
		line, tooLong, err := readLine(r)
		if len(line) > 0 || tooLong {
			var resp map[string]any
			if tooLong {
				resp = map[string]any{"error": fmt.Sprintf("request line longer than %d bytes", maxLine)}
			} else {
				resp = handle(p, line)
			}
			enc, merr := json.Marshal(resp)
			if merr != nil {
				enc, _ = json.Marshal(map[string]any{"error": "encoding response: " + merr.Error()})
			}
			w.Write(enc)
			w.WriteByte('\n')
			if ferr := w.Flush(); ferr != nil {
				return ferr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// readLine reads one line without its terminator. A line longer than
// maxLine is consumed and reported with tooLong. Blank lines come back
// empty and get no response.
func readLine(r *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > maxLine+1 {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSpace(line), tooLong, err
	}
}

// handle answers one request line. It never panics: mau can panic on
// malformed input, so every op runs under recover.
func handle(p *maupeer.Peer, line []byte) (resp map[string]any) {
	// Pick out the id first, so that it is echoed even when the rest of
	// the request does not decode.
	var head struct {
		ID json.RawMessage `json:"id"`
	}
	_ = json.Unmarshal(line, &head)
	defer func() {
		if r := recover(); r != nil {
			resp = map[string]any{"error": fmt.Sprintf("internal error: panic: %v", r)}
		}
		if head.ID != nil {
			resp["id"] = head.ID
		}
	}()

	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		return errorResponse("", fmt.Errorf("malformed request: %w", err))
	}
	switch req.Op {
	case "init":
		b, err := p.Init(req.Name, req.RegID)
		if err != nil {
			return errorResponse(req.Op, err)
		}
		return structResponse(b)
	case "bundle":
		b, err := p.Bundle()
		if err != nil {
			return errorResponse(req.Op, err)
		}
		return structResponse(b)
	case "process_bundle":
		if err := p.ProcessBundle(req.Peer, req.Bundle); err != nil {
			return errorResponse(req.Op, err)
		}
		return map[string]any{"ok": true}
	case "encrypt":
		typ, body, err := p.Encrypt(req.Peer, req.Plaintext)
		if err != nil {
			return errorResponse(req.Op, err)
		}
		return map[string]any{"type": typ, "body": body}
	case "decrypt":
		pt, err := p.Decrypt(req.Peer, req.Type, req.Body)
		if err != nil {
			return errorResponse(req.Op, err)
		}
		if pt == nil {
			pt = []byte{}
		}
		return map[string]any{"plaintext": pt}
	case "":
		return errorResponse("", errors.New("malformed request: missing op"))
	default:
		return errorResponse("", fmt.Errorf("unknown op %q", req.Op))
	}
}

func errorResponse(op string, err error) map[string]any {
	msg := err.Error()
	if op != "" {
		msg = op + ": " + msg
	}
	fmt.Fprintln(os.Stderr, "maupeer:", msg)
	return map[string]any{"error": msg}
}

// structResponse turns v into a response map (so an id can be added),
// keeping each field's encoding as json.Marshal wrote it.
func structResponse(v any) map[string]any {
	enc, err := json.Marshal(v)
	if err != nil {
		return errorResponse("", err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(enc, &fields); err != nil {
		return errorResponse("", err)
	}
	m := make(map[string]any, len(fields)+1)
	for k, f := range fields {
		m[k] = f
	}
	return m
}
