package mac

import (
	"bytes"
	"crypto/des"
	"crypto/rand"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"sync"
	"testing"
)

// pad applies an ISO 9797-1 padding method the slow, obvious way.
func pad(data []byte, p Padding, bs int) []byte {
	out := append([]byte(nil), data...)
	switch p {
	case Method1:
		if len(out) == 0 {
			return make([]byte, bs)
		}
		for len(out)%bs != 0 {
			out = append(out, 0)
		}
	case Method2:
		out = append(out, 0x80)
		for len(out)%bs != 0 {
			out = append(out, 0)
		}
	case Method3:
		l := make([]byte, bs)
		bits := uint64(len(data)) * 8
		for i := 0; i < 8; i++ {
			l[bs-1-i] = byte(bits >> (8 * i))
		}
		for len(out)%bs != 0 {
			out = append(out, 0)
		}
		out = append(l, out...)
	}
	return out
}

// refAlg3 is ISO 9797-1 algorithm 3 written out as the standard states it:
// CBC under K1, then the output transformation D(K2), E(K3) with K3 = K1 for
// a double-length key.
func refAlg3(key, data []byte, p Padding) []byte {
	k1, _ := des.NewCipher(key[:8])
	k2, _ := des.NewCipher(key[8:16])
	k3 := k1
	if len(key) == 24 {
		k3, _ = des.NewCipher(key[16:24])
	}
	x := make([]byte, 8)
	d := pad(data, p, 8)
	for i := 0; i < len(d); i += 8 {
		for j := 0; j < 8; j++ {
			x[j] ^= d[i+j]
		}
		k1.Encrypt(x, x)
	}
	k2.Decrypt(x, x)
	k3.Encrypt(x, x)
	return x
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func TestAlg3AgainstReference(t *testing.T) {
	for _, kl := range []int{16, 24} {
		for _, p := range []Padding{Method1, Method2, Method3} {
			for n := 0; n <= 40; n++ {
				key, data := randBytes(kl), randBytes(n)
				got, err := ISO9797Alg3(key, data, p)
				if err != nil {
					t.Fatal(err)
				}
				if want := refAlg3(key, data, p); !bytes.Equal(got, want) {
					t.Fatalf("key %d bytes, %v, %d bytes of data: got %X want %X", kl, p, n, got, want)
				}
			}
		}
	}
}

func TestPaddingMethodsDiffer(t *testing.T) {
	key := randBytes(16)
	// Method 1 cannot tell "AB" from "AB 00"; methods 2 and 3 can.
	a, b := []byte{0xAB}, []byte{0xAB, 0x00}
	for _, p := range []Padding{Method1, Method2, Method3} {
		ma, _ := ISO9797Alg1(key, a, p)
		mb, _ := ISO9797Alg1(key, b, p)
		if same := bytes.Equal(ma, mb); same != (p == Method1) {
			t.Errorf("%v: MAC(AB) == MAC(AB 00) is %v", p, same)
		}
	}
}

func TestKeyLengthErrors(t *testing.T) {
	cases := []struct {
		name string
		f    func(key []byte) error
		ok   []int
	}{
		{"ISO9797Alg1", func(k []byte) error { _, err := ISO9797Alg1(k, nil, Method1); return err }, []int{8, 16, 24}},
		{"ISO9797Alg3", func(k []byte) error { _, err := ISO9797Alg3(k, nil, Method1); return err }, []int{16, 24}},
		{"AESCMAC", func(k []byte) error { _, err := AESCMAC(k, nil); return err }, []int{16, 24, 32}},
		{"TDESCMAC", func(k []byte) error { _, err := TDESCMAC(k, nil); return err }, []int{16, 24}},
		{"CUPECB", func(k []byte) error { _, err := CUPECB(k, nil); return err }, []int{8, 16}},
		{"KCV", func(k []byte) error { _, err := KCV(k); return err }, []int{8, 16, 24}},
		{"AESKCV", func(k []byte) error { _, err := AESKCV(k); return err }, []int{16, 24, 32}},
	}
	for _, c := range cases {
		for n := 0; n <= 40; n++ {
			err := c.f(make([]byte, n))
			allowed := false
			for _, k := range c.ok {
				allowed = allowed || k == n
			}
			if allowed && err != nil {
				t.Errorf("%s with a %d-byte key: %v", c.name, n, err)
			}
			if !allowed {
				if !errors.Is(err, ErrKeyLength) {
					t.Errorf("%s with a %d-byte key: err = %v, want ErrKeyLength", c.name, n, err)
				} else if want := fmt.Sprintf("not %d", n); !bytes.Contains([]byte(err.Error()), []byte(want)) {
					t.Errorf("%s: error %q does not name the length given", c.name, err)
				}
			}
		}
	}
}

func TestPaddingErrors(t *testing.T) {
	for _, p := range []Padding{0, 4, -1} {
		if _, err := ISO9797Alg1(make([]byte, 8), nil, p); !errors.Is(err, ErrPadding) {
			t.Errorf("ISO9797Alg1 with %v: err = %v", p, err)
		}
		if _, err := NewISO9797Alg3(make([]byte, 16), p); !errors.Is(err, ErrPadding) {
			t.Errorf("NewISO9797Alg3 with %v: err = %v", p, err)
		}
	}
	if s := Padding(7).String(); s != "Padding(7)" {
		t.Errorf("String = %q", s)
	}
	if s := Method2.String(); s != "method 2" {
		t.Errorf("String = %q", s)
	}
}

func TestErrorsCarryNoKey(t *testing.T) {
	key := []byte("SECRETKEYBYTES!") // 15 bytes: wrong for every algorithm
	for _, err := range []error{
		func() error { _, err := ISO9797Alg3(key, nil, Method1); return err }(),
		func() error { _, err := AESCMAC(key, nil); return err }(),
		func() error { _, err := CUPECB(key, nil); return err }(),
	} {
		if bytes.Contains([]byte(err.Error()), []byte("SECRET")) || bytes.Contains([]byte(fmt.Sprintf("%x", err.Error())), []byte("534543")) {
			t.Errorf("error carries key bytes: %v", err)
		}
	}
}

// algorithms returns one of every algorithm under random keys.
func algorithms(t testing.TB) map[string]Algorithm {
	t.Helper()
	out := map[string]Algorithm{}
	add := func(name string, a Algorithm, err error) {
		if err != nil {
			t.Fatal(err)
		}
		out[name] = a
	}
	for _, p := range []Padding{Method1, Method2, Method3} {
		for _, kl := range []int{8, 16, 24} {
			a, err := NewISO9797Alg1(randBytes(kl), p)
			add(fmt.Sprintf("alg1/%d/%v", kl, p), a, err)
		}
		for _, kl := range []int{16, 24} {
			a, err := NewISO9797Alg3(randBytes(kl), p)
			add(fmt.Sprintf("alg3/%d/%v", kl, p), a, err)
		}
	}
	for _, kl := range []int{16, 24, 32} {
		a, err := NewAESCMAC(randBytes(kl))
		add(fmt.Sprintf("aescmac/%d", kl), a, err)
	}
	for _, kl := range []int{16, 24} {
		a, err := NewTDESCMAC(randBytes(kl))
		add(fmt.Sprintf("tdescmac/%d", kl), a, err)
	}
	for _, kl := range []int{8, 16} {
		a, err := NewCUPECB(randBytes(kl))
		add(fmt.Sprintf("cup/%d", kl), a, err)
	}
	return out
}

// The streaming form equals the one-shot form however the data is split.
func TestStreamingMatchesOneShot(t *testing.T) {
	r := mrand.New(mrand.NewPCG(1, 2))
	for name, a := range algorithms(t) {
		for n := 0; n <= 70; n++ {
			data := randBytes(n)
			want := a.MAC(data)
			h := a.New()
			for rest := data; len(rest) > 0; {
				k := r.IntN(len(rest) + 1)
				h.Write(rest[:k])
				rest = rest[k:]
			}
			if got := h.Sum(nil); !bytes.Equal(got, want) {
				t.Fatalf("%s, %d bytes: streaming %X, one-shot %X", name, n, got, want)
			}
			// Sum does not change the state; Reset starts over.
			if got := h.Sum([]byte{1}); !bytes.Equal(got[1:], want) || got[0] != 1 {
				t.Fatalf("%s: second Sum differs", name)
			}
			h.Reset()
			h.Write(data)
			if got := h.Sum(nil); !bytes.Equal(got, want) {
				t.Fatalf("%s: after Reset %X, want %X", name, got, want)
			}
			if h.Size() != a.Size() || h.BlockSize() == 0 {
				t.Fatalf("%s: Size %d, BlockSize %d", name, h.Size(), h.BlockSize())
			}
		}
	}
}

// Verify takes the full tag only; VerifyTruncated takes exactly the length
// the caller names, from MinTagLength to Size (issue 16: no silent
// short-tag acceptance).
func TestVerify(t *testing.T) {
	for name, a := range algorithms(t) {
		data := randBytes(37)
		tag := a.MAC(data)
		if len(tag) != a.Size() {
			t.Fatalf("%s: MAC is %d bytes, Size %d", name, len(tag), a.Size())
		}
		if got := a.AppendMAC([]byte("x"), data); !bytes.Equal(got[1:], tag) || got[0] != 'x' {
			t.Fatalf("%s: AppendMAC = %X", name, got)
		}
		for n := 0; n <= len(tag)+1; n++ {
			var try []byte
			if n <= len(tag) {
				try = tag[:n]
			} else {
				try = append(append([]byte(nil), tag...), 0)
			}
			if got, want := a.Verify(data, try), n == len(tag); got != want {
				t.Errorf("%s: Verify with a %d-byte tag = %v", name, n, got)
			}
			want := n >= MinTagLength && n <= len(tag)
			if got := VerifyTruncated(a, data, try, n); got != want {
				t.Errorf("%s: VerifyTruncated(n=%d) = %v", name, n, got)
			}
			if n > 0 && VerifyTruncated(a, data, try, n-1) {
				t.Errorf("%s: VerifyTruncated with a %d-byte tag and n=%d verifies", name, n, n-1)
			}
		}
		for bit := 0; bit < 8*len(tag); bit++ {
			bad := append([]byte(nil), tag...)
			bad[bit/8] ^= 1 << (bit % 8)
			if a.Verify(data, bad) || (bit < 32 && VerifyTruncated(a, data, bad[:4], 4)) {
				t.Fatalf("%s: a tag with bit %d flipped verifies", name, bit)
			}
		}
		data[0] ^= 1
		if a.Verify(data, tag) || VerifyTruncated(a, data, tag[:4], 4) {
			t.Fatalf("%s: altered data verifies", name)
		}
	}
	if VerifyTruncated(nil, nil, make([]byte, 4), 4) {
		t.Fatal("VerifyTruncated with a nil algorithm verifies")
	}
}

func TestEqual(t *testing.T) {
	if !Equal([]byte{1, 2}, []byte{1, 2}) || Equal([]byte{1, 2}, []byte{1, 3}) || Equal([]byte{1}, []byte{1, 0}) {
		t.Fatal("Equal is wrong")
	}
	if !Equal(nil, []byte{}) {
		t.Fatal("nil and empty differ")
	}
}

func TestAESKCVIsCMACOfZeroBlock(t *testing.T) {
	for _, kl := range []int{16, 24, 32} {
		key := randBytes(kl)
		kcv, err := AESKCV(key)
		if err != nil {
			t.Fatal(err)
		}
		full, _ := AESCMAC(key, make([]byte, 16))
		if !bytes.Equal(kcv, full[:5]) {
			t.Fatalf("AESKCV = %X, CMAC = %X", kcv, full)
		}
	}
}

// Concurrent use of one Algorithm and of shared input slices gives the same
// MACs and leaves the inputs as they were.
func TestConcurrentUse(t *testing.T) {
	key := randBytes(16)
	data := randBytes(282)
	keyCopy, dataCopy := append([]byte(nil), key...), append([]byte(nil), data...)
	a, err := NewISO9797Alg3(key, Method1)
	if err != nil {
		t.Fatal(err)
	}
	want := a.MAC(data)
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if got := a.MAC(data); !bytes.Equal(got, want) {
					errs <- "shared Algorithm gave a different MAC"
				}
				if got, _ := ISO9797Alg3(key, data, Method1); !bytes.Equal(got, want) {
					errs <- "one-shot gave a different MAC"
				}
				if got, _ := CUPECB(key, data); len(got) != 8 {
					errs <- "CUPECB length"
				}
				if _, err := AESCMAC(key, data); err != nil {
					errs <- err.Error()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
	if !bytes.Equal(key, keyCopy) || !bytes.Equal(data, dataCopy) {
		t.Fatal("inputs were modified")
	}
}

// AppendMAC works when dst shares memory with data, as in
// AppendMAC(msg[:0], msg) or appending the MAC to the message itself.
func TestAppendMACAliasing(t *testing.T) {
	for name, a := range algorithms(t) {
		msg := randBytes(40)
		want := a.MAC(msg)
		buf := make([]byte, 40, 64)
		copy(buf, msg)
		if got := a.AppendMAC(buf[:0], buf[:40]); !bytes.Equal(got, want) {
			t.Fatalf("%s: AppendMAC(buf[:0], buf) = %X, want %X", name, got, want)
		}
		copy(buf, msg)
		got := a.AppendMAC(buf[:40], buf[:40])
		if !bytes.Equal(got[:40], msg) || !bytes.Equal(got[40:], want) {
			t.Fatalf("%s: AppendMAC(msg, msg) = %X", name, got)
		}
		copy(buf, msg)
		if got := a.AppendMAC(buf[:4], buf[:40]); !bytes.Equal(got[4:], want) {
			t.Fatalf("%s: AppendMAC(buf[:4], buf) = %X, want %X", name, got[4:], want)
		}
	}
}
