package emv

import (
	"errors"
	"fmt"
	"strings"
)

// ErrFieldLength reports a bit field or structure value of the wrong length.
var ErrFieldLength = errors.New("emv: wrong value length")

type bitName struct {
	bit  uint16 // byte number (1-based) << 8 | mask
	name string
}

func hasBit(v []byte, bit uint16) bool {
	i := int(bit>>8) - 1
	return i >= 0 && i < len(v) && v[i]&byte(bit) != 0
}

func setBit(v []byte, bit uint16, on bool) {
	i := int(bit>>8) - 1
	if i < 0 || i >= len(v) {
		return
	}
	if on {
		v[i] |= byte(bit)
	} else {
		v[i] &^= byte(bit)
	}
}

func bitsString(v []byte, names []bitName) string {
	var sb strings.Builder
	add := func(s string) {
		if sb.Len() > 0 {
			sb.WriteString("; ")
		}
		sb.WriteString(s)
	}
	for i, c := range v {
		for bit := 7; bit >= 0; bit-- {
			m := byte(1) << uint(bit)
			if c&m == 0 {
				continue
			}
			code := uint16(i+1)<<8 | uint16(m)
			named := false
			for _, nm := range names {
				if nm.bit == code {
					add(nm.name)
					named = true
					break
				}
			}
			if !named {
				add(fmt.Sprintf("byte %d bit %d", i+1, bit+1))
			}
		}
	}
	if sb.Len() == 0 {
		return "none"
	}
	return sb.String()
}
