// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

// Command genmau writes internal/curve/testdata/mau_signatures.json:
// XEdDSA signatures made by go.mau.fi/libsignal's ecc package, plus edge
// cases derived from them, each checked against mau's own verifier before
// it is written. Run it from the interop module:
//
//	cd interop && go run ./curvecheck/genmau
//
// Keys and messages are fixed; mau draws each signature's 64 random bytes
// from crypto/rand itself, so the signatures change on every run.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"log"

	"go.mau.fi/libsignal/ecc"

	"github.com/crossseal/crossseal/interop/curvecheck"
)

func main() {
	out := flag.String("o", "../internal/curve/testdata/mau_signatures.json", "output file")
	flag.Parse()
	log.SetFlags(0)

	var valid []curvecheck.SigVector
	for i := range 24 {
		seed := sha256.Sum256(fmt.Appendf(nil, "mau/curve signature vector key %d", i))
		kp := ecc.CreateKeyPair(seed[:]) // clamps, as libsignal does
		var msg []byte
		switch i % 4 {
		case 1: // a signed prekey signature covers a serialized public key
			other := sha256.Sum256(fmt.Appendf(nil, "mau/curve signature vector prekey %d", i))
			msg = ecc.CreateKeyPair(other[:]).PublicKey().Serialize()
		case 2:
			msg = fmt.Appendf(nil, "mau signature vector %d", i)
		case 3:
			for j := 0; len(msg) < 200+i; j++ {
				h := sha256.Sum256(fmt.Appendf(nil, "mau/curve signature vector message %d/%d", i, j))
				msg = append(msg, h[:]...)
			}
		}
		sig := ecc.CalculateSignature(kp.PrivateKey(), msg)
		priv := kp.PrivateKey().Serialize()
		valid = append(valid, curvecheck.SigVector{
			Comment:   fmt.Sprintf("valid, sign bit %d", sig[63]>>7),
			Private:   hex.EncodeToString(priv[:]),
			Public:    hex.EncodeToString(kp.PublicKey().Serialize()),
			Message:   hex.EncodeToString(msg),
			Signature: hex.EncodeToString(sig[:]),
			Valid:     true,
		})
	}
	edge, err := curvecheck.EdgeVectors(valid)
	if err != nil {
		log.Fatal(err)
	}
	f := curvecheck.SigVectorFile{
		Comment: "XEdDSA signatures made by go.mau.fi/libsignal v0.2.1 ecc.CalculateSignature " +
			"(random Z from crypto/rand, not recorded). Negative cases must be rejected by every implementation.",
		Generator: "cd interop && go run ./curvecheck/genmau",
		Vectors:   append(valid, edge...),
	}
	for i, v := range f.Vectors {
		got, err := curvecheck.MauVerify(v)
		if err != nil {
			log.Fatal(err)
		}
		if got != v.Valid {
			log.Fatalf("vector %d (%s): mau says %v, want %v", i+1, v.Comment, got, v.Valid)
		}
	}
	if err := curvecheck.WriteSigVectors(*out, f); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %d vectors to %s", len(f.Vectors), *out)
}
