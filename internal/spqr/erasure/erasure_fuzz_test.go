// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package erasure

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// fuzzLengths are the message lengths FuzzDecoder picks from: SPQR's,
// others with partial last chunks, and invalid ones.
var fuzzLengths = []int{96, 1152, 960, 160, 0, 2, 32, 34, 100, 2048, 1184, -2, 95, MaxDecoderMessageSize + 2}

// FuzzDecoder reads its input as a mode byte, a length selector byte and
// then records. In raw mode (even mode byte) a record is a big-endian
// chunk index and 32 data bytes, fed to a Decoder as they are. In encoded
// mode a record is only a big-endian chunk index; the message is built
// from the input and the chunk data come from its real encoding. The
// Decoder must never panic, must keep its invariants, and in encoded mode
// must recover the message once it holds enough chunks.
func FuzzDecoder(f *testing.F) {
	for sel, length := range fuzzLengths {
		raw, encoded := []byte{0, byte(sel)}, []byte{1, byte(sel)}
		for i := range chunksNeeded(max(length, 0)) + 2 {
			idx := uint16(3*i + 1)
			raw = binary.BigEndian.AppendUint16(raw, idx)
			raw = append(raw, bytes.Repeat([]byte{byte(i)}, ChunkSize)...)
			encoded = binary.BigEndian.AppendUint16(encoded, idx)
		}
		f.Add(raw)
		f.Add(encoded)
	}
	// Three raw chunks with index 7 and different data, for a 160-byte
	// message; then encoded chunks 65535, 32768, 0, 40 and 2, for 1152.
	dups := []byte{0, 3}
	for i := range 3 {
		dups = append(dups, 0, 7)
		dups = append(dups, bytes.Repeat([]byte{byte(i)}, ChunkSize)...)
	}
	f.Add(dups)
	f.Add([]byte{1, 1, 0xFF, 0xFF, 0x80, 0x00, 0, 0, 0, 40, 0, 2})

	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) < 2 {
			return
		}
		encoded := in[0]&1 == 1
		length := fuzzLengths[int(in[1])%len(fuzzLengths)]
		records := in[2:]

		d, err := NewDecoder(length)
		if length < 0 || length%2 != 0 || length > MaxDecoderMessageSize {
			if err == nil || d != nil {
				t.Fatalf("NewDecoder(%d) = %v, %v; want an error", length, d, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("NewDecoder(%d): %v", length, err)
		}
		n := chunksNeeded(length)

		var msg []byte
		var e *Encoder
		recordSize := 2 + ChunkSize
		if encoded {
			recordSize = 2
			msg = make([]byte, length)
			for i := range msg {
				msg[i] = byte(i * 7)
				if len(records) > 0 {
					msg[i] ^= records[i%len(records)]
				}
			}
			if e, err = NewEncoder(msg); err != nil {
				t.Fatal(err)
			}
		}

		seen := make(map[uint16]bool)
		for ; len(records) >= 2; records = records[min(len(records), recordSize):] {
			c := Chunk{Index: binary.BigEndian.Uint16(records)}
			if encoded {
				c = e.ChunkAt(c.Index)
			} else {
				copy(c.Data[:], records[2:])
			}
			d.AddChunk(c)
			if len(seen) < n {
				seen[c.Index] = true
			}
			held := d.Chunks()
			if len(held) != len(seen) {
				t.Fatalf("holding %d chunks, want %d distinct", len(held), len(seen))
			}
			for i := 1; i < len(held); i++ {
				if held[i-1].Index >= held[i].Index {
					t.Fatalf("Chunks() not strictly increasing: %d, %d", held[i-1].Index, held[i].Index)
				}
			}
		}

		got, ok := d.Message()
		if ok != (len(seen) == n) {
			t.Fatalf("Message() ok = %v with %d of %d chunks", ok, len(seen), n)
		}
		if !ok {
			if got != nil {
				t.Fatalf("Message() = %x, false; want nil", got)
			}
			return
		}
		if len(got) != length {
			t.Fatalf("Message() has %d bytes, want %d", len(got), length)
		}
		if encoded && !bytes.Equal(got, msg) {
			t.Fatalf("decoded %x, want %x", got, msg)
		}
		// The decoder's state restores to one that decodes the same way.
		r, err := RestoreDecoder(length, d.Chunks())
		if err != nil {
			t.Fatalf("RestoreDecoder(Chunks()): %v", err)
		}
		if again, ok := r.Message(); !ok || !bytes.Equal(again, got) {
			t.Fatalf("restored decoder: Message() = %x, %v; want %x", again, ok, got)
		}
	})
}
