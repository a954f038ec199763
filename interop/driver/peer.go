// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package driver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultTimeout bounds one request and response; [Peer.Timeout] starts
// at this value. It is generous because peers may run under the race
// detector or on a loaded machine.
const DefaultTimeout = 20 * time.Second

// closeTimeout bounds how long [Peer.Close] waits for the peer to exit
// after its stdin is closed before killing it.
const closeTimeout = 10 * time.Second

// stderrTail is how much of a peer's stderr is kept for error messages.
const stderrTail = 16 << 10

// maxResponseLine bounds one response line; a 64 KiB message is about
// 88 KiB of base64.
const maxResponseLine = 8 << 20

// Request is one protocol request. [Peer.Call] adds an "id".
type Request map[string]any

// Response is one decoded response line, field by field.
type Response map[string]json.RawMessage

// ErrorMessage returns the "error" field of r, if there is one.
func (r Response) ErrorMessage() (string, bool) {
	raw, ok := r["error"]
	if !ok {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return string(raw), true
	}
	return s, true
}

// PeerError is an error that a peer reported in an {"error": ...}
// response, or that an in-process [Endpoint] got from its implementation.
// Any other error from a [Peer] method is a transport or protocol failure:
// the peer died, timed out, or broke the framing.
type PeerError struct {
	Peer    string // the peer's name
	Impl    string // the implementation behind the peer, if known
	Op      string // the request's op
	Message string // the peer's error text
	// Err is the implementation's own error, for in-process endpoints
	// (nil for a peer process). Unwrap returns it, so that errors.Is
	// can match an implementation's sentinel errors.
	Err error
}

func (e *PeerError) Error() string {
	return fmt.Sprintf("peer %s: %s: %s", label(e.Peer, e.Impl), e.Op, e.Message)
}

// Unwrap returns e.Err.
func (e *PeerError) Unwrap() error { return e.Err }

// Peer is one running peer process.
type Peer struct {
	// Timeout bounds each call. Set it before use, not concurrently.
	Timeout time.Duration

	name string
	impl string // the base name of argv[0]
	argv []string
	cmd  *exec.Cmd

	stdin  io.WriteCloser
	lines  chan []byte // response lines; closed at stdout EOF
	stderr *tailBuffer

	exited  chan struct{} // closed once the process has exited
	quit    chan struct{} // closed when the driver stops reading
	quitOne sync.Once
	waitErr error // cmd.Wait's result, set before exited is closed

	mu      sync.Mutex // serializes calls
	nextID  uint64
	broken  error // set once the stream is unusable
	closed  bool
	closeMu sync.Mutex
	killed  bool
}

// Start launches argv as a peer named name. name is the identity the
// driver gives the peer in init and uses in error messages. ctx bounds
// the whole life of the process (cancelling it kills the peer); each call
// is bounded by [Peer.Timeout]. The caller must call [Peer.Close].
func Start(ctx context.Context, name string, argv []string) (*Peer, error) {
	if len(argv) == 0 {
		return nil, errors.New("driver: empty argv")
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.WaitDelay = 2 * time.Second
	p := &Peer{
		Timeout: DefaultTimeout,
		name:    name,
		impl:    filepath.Base(argv[0]),
		argv:    argv,
		cmd:     cmd,
		lines:   make(chan []byte, 16),
		stderr:  &tailBuffer{max: stderrTail},
		exited:  make(chan struct{}),
		quit:    make(chan struct{}),
	}
	cmd.Stderr = p.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	// An os.Pipe rather than StdoutPipe: the reader goroutine owns it, so
	// cmd.Wait can run concurrently without closing it under the reader.
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout = pw
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return nil, fmt.Errorf("driver: starting peer %s (%s): %w", name, strings.Join(argv, " "), err)
	}
	pw.Close()
	p.stdin = stdin
	go p.readLoop(pr)
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

// StartT starts a peer for the duration of test t: it fails t if the peer
// does not start, and closes the peer when t ends, failing t if the peer
// then exits abnormally.
func StartT(t testing.TB, name string, argv []string) *Peer {
	t.Helper()
	p, err := Start(context.Background(), name, argv)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Error(err)
		}
	})
	return p
}

// Command returns a [NewPeerFunc] that starts argv with [StartT].
func Command(argv ...string) NewPeerFunc {
	return func(t *testing.T, name string) Endpoint {
		t.Helper()
		return StartT(t, name, argv)
	}
}

// Name returns the name given to [Start].
func (p *Peer) Name() string { return p.name }

// Implementation returns the base name of the peer's program (argv[0]),
// which [Describe] and error messages show next to the peer's name.
func (p *Peer) Implementation() string { return p.impl }

// label is the peer's name and program, for messages.
func (p *Peer) label() string { return label(p.name, p.impl) }

// Stderr returns the last part of what the peer wrote to stderr.
func (p *Peer) Stderr() string { return p.stderr.String() }

func (p *Peer) readLoop(r io.ReadCloser) {
	defer r.Close()
	defer close(p.lines)
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > maxResponseLine {
			line = line[:maxResponseLine]
		}
		if len(bytes.TrimSpace(line)) > 0 {
			select {
			case p.lines <- line:
			case <-p.quit:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Call sends req with a fresh "id" and returns the response. The error is
// non-nil only for transport and framing failures (timeout, exit,
// invalid JSON, wrong id); an error that the peer reports comes back as a
// Response with an "error" field. After a transport failure the peer is
// killed and every later call fails.
func (p *Peer) Call(req Request) (Response, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.nextID++
	id := p.nextID
	msg := make(Request, len(req)+1)
	for k, v := range req {
		msg[k] = v
	}
	msg["id"] = id
	line, err := json.Marshal(msg)
	if err != nil {
		return nil, fmt.Errorf("driver: encoding request for peer %s: %w", p.label(), err)
	}
	resp, err := p.roundTrip(line, fmt.Sprint(msg["op"]))
	if err != nil {
		return nil, err
	}
	var got uint64
	if raw, ok := resp["id"]; !ok || json.Unmarshal(raw, &got) != nil || got != id {
		return nil, p.fail(fmt.Errorf("response id %s, want %d (responses out of step with requests)", resp["id"], id))
	}
	return resp, nil
}

// CallRaw sends one raw line (without its newline) and returns the
// response, without adding or checking an id. It is for malformed
// requests.
func (p *Peer) CallRaw(line []byte) (Response, error) {
	if bytes.ContainsAny(line, "\r\n") {
		return nil, errors.New("driver: CallRaw line contains a newline")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.roundTrip(line, "raw")
}

// roundTrip writes line and reads one response line, within p.Timeout.
func (p *Peer) roundTrip(line []byte, op string) (Response, error) {
	if p.broken != nil {
		return nil, p.broken
	}
	if p.closed {
		return nil, fmt.Errorf("driver: peer %s is closed", p.label())
	}
	timer := time.NewTimer(p.Timeout)
	defer timer.Stop()
	buf := make([]byte, 0, len(line)+1)
	buf = append(append(buf, line...), '\n')
	writeDone := make(chan error, 1)
	go func() {
		_, err := p.stdin.Write(buf)
		writeDone <- err
	}()
	var out []byte
	for out == nil || writeDone != nil {
		select {
		case err := <-writeDone:
			if err != nil {
				return nil, p.fail(fmt.Errorf("%s: writing request: %w", op, err))
			}
			writeDone = nil
		case l, ok := <-p.lines:
			if !ok {
				return nil, p.fail(fmt.Errorf("%s: peer closed stdout (exited?)", op))
			}
			out = l
		case <-timer.C:
			return nil, p.fail(fmt.Errorf("%s: no response within %v", op, p.Timeout))
		}
	}
	var resp Response
	if err := json.Unmarshal(out, &resp); err != nil || resp == nil {
		return nil, p.fail(fmt.Errorf("%s: response is not a JSON object: %.200q", op, out))
	}
	return resp, nil
}

// fail marks the peer unusable, kills it, and returns err with context.
func (p *Peer) fail(err error) error {
	p.kill()
	select {
	case <-p.exited:
	case <-time.After(3 * time.Second):
	}
	p.broken = fmt.Errorf("driver: peer %s: %w%s", p.label(), err, p.stderrNote())
	return p.broken
}

func (p *Peer) kill() {
	p.quitOne.Do(func() { close(p.quit) })
	p.closeMu.Lock()
	defer p.closeMu.Unlock()
	if !p.killed {
		p.killed = true
		p.cmd.Process.Kill()
	}
}

func (p *Peer) stderrNote() string {
	s := strings.TrimSpace(p.Stderr())
	if s == "" {
		return ""
	}
	return "\n--- stderr of peer " + p.label() + " (tail) ---\n" + s
}

// Close closes the peer's stdin and waits for it to exit, killing it
// after a grace period. It returns an error if the peer had to be killed
// or exited with a failure status (unless the peer was already broken by
// a failed call, which has been reported). Close is idempotent.
func (p *Peer) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	defer p.quitOne.Do(func() { close(p.quit) })
	p.stdin.Close()
	broken := p.broken != nil
	select {
	case <-p.exited:
	case <-time.After(closeTimeout):
		p.kill()
		<-p.exited
		if !broken {
			return fmt.Errorf("driver: peer %s did not exit within %v of stdin closing%s", p.label(), closeTimeout, p.stderrNote())
		}
	}
	if p.waitErr != nil && !broken {
		return fmt.Errorf("driver: peer %s exited: %v%s", p.label(), p.waitErr, p.stderrNote())
	}
	return nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
