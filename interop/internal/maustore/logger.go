// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package maustore

import (
	"fmt"
	"io"
	"sync"

	"go.mau.fi/libsignal/logger"
)

// SetupLogger replaces go.mau.fi/libsignal's default logger, which prints
// every debug line (key material included) to stdout. Debug lines are
// dropped; info, warning and error lines go to w, or nowhere if w is nil.
// mau still formats every log call (fmt.Sprint and runtime.Caller) before
// the logger sees it; that cost is part of what the benchmarks measure.
func SetupLogger(w io.Writer) {
	var l logger.Loggable = &writerLogger{w: w}
	logger.Setup(&l)
}

type writerLogger struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *writerLogger) print(level, caller, msg string) {
	if l.w == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "mau %s %s: %s\n", level, caller, msg)
}

func (l *writerLogger) Debug(caller, msg string)   {}
func (l *writerLogger) Info(caller, msg string)    { l.print("info", caller, msg) }
func (l *writerLogger) Warning(caller, msg string) { l.print("warning", caller, msg) }
func (l *writerLogger) Error(caller, msg string)   { l.print("error", caller, msg) }
func (l *writerLogger) Configure(string)           {}
