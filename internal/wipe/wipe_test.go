package wipe

import "testing"

func TestBytes(t *testing.T) {
	b := []byte{1, 2, 3}
	Bytes(b)
	if b[0]|b[1]|b[2] != 0 {
		t.Fatal("not wiped")
	}
	Bytes(nil)
}
