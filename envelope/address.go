// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/crossseal/crossseal/keystore"
)

// Account is a user on one app: (app, user), text form "app:user". Sealing
// to an Account fans out to each of its devices.
type Account struct {
	// App is the network's label: lowercase [a-z0-9-], 1..[MaxAppSize]
	// bytes, no leading or trailing '-'.
	App string
	// User is the app-scoped handle (phone number, username, numeric id):
	// opaque valid UTF-8 without control characters, 1..[MaxUserSize]
	// bytes. It may contain ':' and '.'.
	User string
}

// Address is one device of an [Account]: (app, user, device), text form
// "app:user.device", for example "whatsapp:+15551234567.1".
type Address struct {
	App  string
	User string
	// Device is the device number, 1..[MaxDevice].
	Device uint32
}

// ParseAccount parses "app:user". The app ends at the first ':'. Errors
// are [*ParseError].
func ParseAccount(s string) (Account, error) {
	if len(s) > maxAddressSize {
		return Account{}, &ParseError{"account", "too long"}
	}
	app, user, ok := strings.Cut(s, ":")
	if !ok {
		return Account{}, &ParseError{"account", "missing ':'"}
	}
	a := Account{App: app, User: user}
	if err := a.validate("account"); err != nil {
		return Account{}, err
	}
	return a, nil
}

// ParseAddress parses "app:user.device": the app ends at the first ':',
// the device starts after the last '.', and the device is decimal without
// sign or leading zeros. Errors are [*ParseError]. For every address it
// accepts, [Address.String] returns the input.
func ParseAddress(s string) (Address, error) {
	if len(s) > maxAddressSize {
		return Address{}, &ParseError{"address", "too long"}
	}
	i := strings.LastIndexByte(s, '.')
	if i < 0 {
		return Address{}, &ParseError{"address", "missing '.device'"}
	}
	acct, err := ParseAccount(s[:i])
	if err != nil {
		return Address{}, &ParseError{"address", err.(*ParseError).Reason}
	}
	dev, ok := parseDevice(s[i+1:])
	if !ok {
		return Address{}, &ParseError{"address", "device is not a number in 1..2147483647 without leading zeros"}
	}
	return acct.Device(dev), nil
}

func parseDevice(s string) (uint32, bool) {
	if len(s) == 0 || len(s) > 10 || s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n > MaxDevice {
		return 0, false
	}
	return uint32(n), true
}

// String returns "app:user".
func (a Account) String() string { return a.App + ":" + a.User }

// Device returns the address of device d of a.
func (a Account) Device(d uint32) Address { return Address{App: a.App, User: a.User, Device: d} }

// Validate returns a [*ParseError] if a is not a valid account.
func (a Account) Validate() error { return a.validate("account") }

func (a Account) validate(what string) error {
	if !validApp(a.App) {
		return &ParseError{what, "app must be 1..32 bytes of [a-z0-9-] without leading or trailing '-'"}
	}
	if reason := checkUser(a.User); reason != "" {
		return &ParseError{what, reason}
	}
	return nil
}

func validApp(s string) bool {
	if len(s) == 0 || len(s) > MaxAppSize || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func checkUser(s string) string {
	switch {
	case len(s) == 0:
		return "empty user"
	case len(s) > MaxUserSize:
		return "user longer than 256 bytes"
	case !utf8.ValidString(s):
		return "user is not valid UTF-8"
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "user contains a control character"
	}
	return ""
}

// Account returns the account a belongs to.
func (a Address) Account() Account { return Account{App: a.App, User: a.User} }

// String returns "app:user.device".
func (a Address) String() string {
	return a.App + ":" + a.User + "." + strconv.FormatUint(uint64(a.Device), 10)
}

// Validate returns a [*ParseError] if a is not a valid address.
func (a Address) Validate() error {
	if err := a.Account().validate("address"); err != nil {
		return err
	}
	if a.Device == 0 || a.Device > MaxDevice {
		return &ParseError{"address", "device must be in 1..2147483647"}
	}
	return nil
}

// KeystoreAddress maps a to the address of its session in the keystore:
// {Name: "app:user", DeviceID: device}.
func (a Address) KeystoreAddress() keystore.Address {
	return keystore.Address{Name: a.Account().String(), DeviceID: a.Device}
}
