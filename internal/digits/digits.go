// Package digits holds the decimal-string checks shared by poskit's packages.
package digits

// Valid reports whether s is non-empty and made only of the ASCII digits 0-9.
func Valid(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Luhn reports whether s is a string of digits whose last digit is a valid
// Luhn (ISO/IEC 7812-1) check digit. It is false for a non-digit string or one
// shorter than two characters.
func Luhn(s string) bool {
	if len(s) < 2 || !Valid(s) {
		return false
	}
	return luhnSum(s, false)%10 == 0
}

// LuhnDigit returns the check digit that makes s followed by it pass Luhn.
// s must be Valid; it returns 0xFF otherwise.
func LuhnDigit(s string) byte {
	if !Valid(s) {
		return 0xFF
	}
	return byte('0' + (10-luhnSum(s, true)%10)%10)
}

// luhnSum adds the digits of s from the right, doubling every second one:
// starting with the rightmost when doubleFirst is set (s lacks its check
// digit), with the one before it otherwise.
func luhnSum(s string, doubleFirst bool) int {
	sum := 0
	double := doubleFirst
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum
}

// MaskPAN returns pan with every digit but the first six and the last four
// replaced by '*' (PCI DSS 3.4, the most a display may show). A PAN of 10
// digits or fewer keeps only its last four; one of four or fewer is fully
// masked. Any non-digit character is masked too.
func MaskPAN(pan string) string {
	n := len(pan)
	head, tail := 6, 4
	if n <= 10 {
		head = 0
	}
	if n <= 4 {
		tail = 0
	}
	b := make([]byte, n)
	for i := 0; i < n; i++ {
		c := pan[i]
		if (i < head || i >= n-tail) && c >= '0' && c <= '9' {
			b[i] = c
		} else {
			b[i] = '*'
		}
	}
	return string(b)
}
