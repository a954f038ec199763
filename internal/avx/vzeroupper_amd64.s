// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

//go:build amd64 && !purego

#include "textflag.h"

// func vzeroupperAVX()
TEXT ·vzeroupperAVX(SB), NOSPLIT|NOFRAME, $0-0
	VZEROUPPER
	RET
