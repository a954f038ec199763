// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package verify

import "github.com/crossseal/crossseal/testdata/internal/gen"

// Generate rebuilds the vector set with the generator in
// testdata/internal/gen and writes it under dir, laid out as the testdata
// directory is: dir/vectors/<kind>/... and dir/records/<release>/....
// It lets tools outside testdata (crossseal vectors gen) run the
// generator.
func Generate(dir string) error { return gen.Write(dir) }

// GeneratedFiles returns what Generate writes, keyed by slash-separated
// path relative to dir.
func GeneratedFiles() (map[string][]byte, error) { return gen.Files() }
