module github.com/crossseal/crossseal/interop

go 1.26.8

require (
	github.com/crossseal/crossseal v0.0.0-00010101000000-000000000000
	go.mau.fi/libsignal v0.2.1
	google.golang.org/protobuf v1.36.12
)

require (
	filippo.io/edwards25519 v1.2.0 // indirect
	github.com/cloudflare/circl v1.6.5 // indirect
	golang.org/x/crypto v0.59.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/crossseal/crossseal => ../
