package terminal

import "github.com/poskit/poskit/iso8583"

// isTransfer reports whether k is a transfer.
func isTransfer(k iso8583.Kind) bool { return false }
