// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

//go:build unix

package sqlitestore

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// Tests that need several processes re-execute the test binary with
// -test.run naming a child test function and childEnv set; the child test
// skips itself in an ordinary run.

func killSelf() {
	_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {}
}

// child is a re-executed test binary.
type child struct {
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
	err  error
}

// startChild runs the test function name in a child process with env and
// waits until it signals (on file descriptor 3) that it is ready. extra
// files become descriptors 4, 5, ... in the child.
func startChild(t *testing.T, name string, env []string, extra ...*os.File) *child {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	c := &child{out: new(bytes.Buffer), done: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.count=1", "-test.v")
	c.cmd.Env = env
	c.cmd.Stdout, c.cmd.Stderr = c.out, c.out
	c.cmd.ExtraFiles = append([]*os.File{w}, extra...)
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	go func() { c.err = c.cmd.Wait(); close(c.done) }()
	if _, err := r.Read(make([]byte, 1)); err != nil {
		<-c.done
		t.Fatalf("child %s exited before it was ready: %v\n%s", name, c.err, c.out)
	}
	return c
}

func (c *child) wait() error { <-c.done; return c.err }

func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

func (c *child) output() string { <-c.done; return c.out.String() }

// killed reports whether err says the process died of SIGKILL.
func killed(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// signalReady tells the parent that the child has opened everything.
func signalReady(t *testing.T) {
	t.Helper()
	f := os.NewFile(3, "ready")
	if _, err := f.Write([]byte{'R'}); err != nil {
		t.Fatal(err)
	}
	f.Close()
}
