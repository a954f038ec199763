// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Package layering holds no code: its test enforces the dependency
// direction drawn in DESIGN.md (x3dh and ratchet never import each other,
// keystore imports no protocol package, nothing imports envelope except
// commands) and that no copyleft module enters the root module's graph.
package layering
