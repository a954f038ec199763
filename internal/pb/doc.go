// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package pb holds the Go code generated from proto/wire.proto,
// proto/storage.proto and proto/envelope.proto. Do not edit the generated files; regenerate them with
// `go generate ./internal/pb` (needs protoc and protoc-gen-go v1.36.12 on
// PATH: `apt-get install protobuf-compiler` and
// `go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12`).
package pb

//go:generate protoc --proto_path=../../proto --go_out=. --go_opt=paths=source_relative wire.proto storage.proto envelope.proto spqr.proto
