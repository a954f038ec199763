// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package session

// MaxArchivedStates is the number of previous sessions kept per device
// (libsignal ARCHIVED_STATES_MAX_LENGTH). Older ones are dropped, and
// messages still in flight on them fail to decrypt.
const MaxArchivedStates = 40

// MaxPlaintextSize bounds what [Manager.Encrypt] accepts, so that every
// message it produces stays under the wire codec's 1 MiB limit.
const MaxPlaintextSize = 1<<20 - 4096

// recordCacheSize bounds the decoded sessions a [Manager] keeps in memory.
const recordCacheSize = 1024
