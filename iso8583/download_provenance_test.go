package iso8583

import (
	"bytes"
	"fmt"
	"testing"
)

// The download layouts against the way public UnionPay terminal
// applications read them. The readers below are written here from the
// behaviour of those applications (NEWPOS's DparaTrans for the status
// query and key answers, PAX's hot-list download loop): fixed offsets and
// byte tests, no TLV library, so they check poskit's encoders
// independently of its parsers.

// TestCAKeyQueryPublicLayout: the query is "1" and a two-digit count, the
// answer a status byte then, per key, 9F06 05 RID, 9F22 01 index and DF05
// with its length, read at fixed offsets; status '2' asks for another
// query, anything else ends the list.
func TestCAKeyQueryPublicLayout(t *testing.T) {
	var held []CAKeyStatus
	for i := range 25 {
		held = append(held, CAKeyStatus{RID: [5]byte{0xA0, 0, 0, 0x03, 0x33}, Index: byte(0x80 + i), Expiry: testNow})
	}
	term := testTerminal(UnionPay)
	var got [][6]byte
	for round := 0; round < 5; round++ {
		q, _ := term.CAKeyQuery(len(got))
		if want := fmt.Sprintf("1%02d", len(got)); string(q.F62) != want {
			t.Fatalf("query 62 %q, want %q", q.F62, want)
		}
		ans, err := NewCAKeyListResponse(q, held, testNow)
		if err != nil {
			t.Fatal(err)
		}
		f := ans.F62
		if f[0] == '0' {
			break
		}
		for off := 1; off < len(f); {
			if !bytes.Equal(f[off:off+3], []byte{0x9F, 0x06, 0x05}) {
				t.Fatalf("RID header at %d: % X", off, f[off:off+3])
			}
			var e [6]byte
			copy(e[:5], f[off+3:off+8])
			off += 8
			if !bytes.Equal(f[off:off+3], []byte{0x9F, 0x22, 0x01}) {
				t.Fatalf("index header at %d", off)
			}
			e[5] = f[off+3]
			off += 4
			if !bytes.Equal(f[off:off+2], []byte{0xDF, 0x05}) {
				t.Fatalf("expiry tag at %d", off)
			}
			off += 2
			if n := int(f[off]); n != 8 || string(f[off+1:off+9]) != testNow.UTC().Format("20060102") {
				t.Fatalf("expiry %q", f[off+1:off+1+n])
			}
			off += 1 + int(f[off])
			got = append(got, e)
		}
		if f[0] != '2' {
			break
		}
	}
	if len(got) != len(held) || got[24][5] != 0x80+24 {
		t.Fatalf("read %d keys", len(got))
	}
}

// TestHotListPublicPrefix: the public loop asks with a count in ASCII
// digits and reads, after the status byte, three bytes of BCD giving the
// position of the last record; the next request asks from that plus one.
func TestHotListPublicPrefix(t *testing.T) {
	list := []string{"622200", "621700001000", "6222000000000001", "62170000100012345"}
	term := testTerminal(UnionPay)
	req, _ := term.HotListDownload(1)
	if string(req.F62) != "000001" {
		t.Fatalf("request 62 %q", req.F62)
	}
	ans, err := NewHotListResponse(req, 3, list, testNow)
	if err != nil {
		t.Fatal(err)
	}
	f := ans.F62
	last := fmt.Sprintf("%X", f[1:4])
	if f[0] != '1' || last != "000003" {
		t.Errorf("status %q, last position %s, want 1 and 000003", f[0], last)
	}
}
