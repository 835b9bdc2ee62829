package digits

import "testing"

func TestValid(t *testing.T) {
	for s, want := range map[string]bool{"": false, "0": true, "0123456789": true, "12a": false, " 1": false, "١": false} {
		if got := Valid(s); got != want {
			t.Errorf("Valid(%q) = %v", s, got)
		}
	}
}

func TestLuhn(t *testing.T) {
	// ISO/IEC 7812-1 examples: well-known test PANs with valid check digits.
	for _, pan := range []string{"4111111111111111", "5500000000000004", "79927398713", "4012345678909"} {
		if !Luhn(pan) {
			t.Errorf("Luhn(%s) = false", pan)
		}
		if got := LuhnDigit(pan[:len(pan)-1]); got != pan[len(pan)-1] {
			t.Errorf("LuhnDigit(%s) = %c", pan[:len(pan)-1], got)
		}
	}
	for _, s := range []string{"4111111111111112", "79927398710", "1", "", "41x1"} {
		if Luhn(s) {
			t.Errorf("Luhn(%q) = true", s)
		}
	}
	if LuhnDigit("12a") != 0xFF {
		t.Error("LuhnDigit of a non-digit string")
	}
}

func TestMaskPAN(t *testing.T) {
	for in, want := range map[string]string{
		"4111111111111111":    "411111******1111",
		"6212345678901234567": "621234*********4567",
		"12345678901":         "123456*8901",
		"1234567890":          "******7890",
		"1234":                "****",
		"":                    "",
		"4111-1111":           "*****1111",
	} {
		if got := MaskPAN(in); got != want {
			t.Errorf("MaskPAN(%q) = %q, want %q", in, got, want)
		}
	}
}
