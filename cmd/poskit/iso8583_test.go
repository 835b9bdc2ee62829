package main

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/specs"
)

// exampleSale is the UnionPay sale of the iso8583 package's
// ExampleTerminal_Sale (track 2 of the published capture, see
// testdata/README.md).
const exampleSale = "02003038048020C080100000000000000010000004031030151121022000346224242900000113D2806201394903101331303030303031393835303130303038323431303030323135360011220000240000"

// saleFields is the sale of the iso8583 package's ExampleVerifyPacked, as
// encode's JSON; signed with the UnionPay MAC under MAK 2222222222222222 its
// field 64 is "A16F2178", as that example prints.
const saleFields = `{"0":"0200","2":"6224242900000113","3":"000000","4":"000000001000","11":"000001","12":"103015","13":"1121","14":"2806","22":"012","25":"00","41":"10000019","42":"850100082410002","60":"22000001000"}`

const signedSale = "0200703C048000C0001116622424290000011300000000000000100000000110301511212806012000313030303030313938353031303030383234313030303200112200000100004131364632313738"

func TestISO8583(t *testing.T) {
	capture, err := os.ReadFile("testdata/cup_sale_capture.hex")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := hex.DecodeString(strings.Join(strings.Fields(string(capture)), ""))
	if err != nil {
		t.Fatal(err)
	}
	runCases(t, []cmdCase{
		{name: "decode capture framed", args: []string{"iso8583", "decode", "-frame", "cup"}, stdin: string(capture), golden: "iso_capture.golden"},
		{name: "decode capture raw json", args: []string{"iso8583", "decode", "-frame", "cup", "-in", "raw", "-json"}, stdin: string(raw), golden: "iso_capture.json.golden"},
		{name: "decode capture unmask", args: []string{"iso8583", "decode", "-frame", "cup", "-unmask"}, stdin: string(capture), golden: "iso_capture_unmask.golden"},
		{name: "decode example", args: []string{"iso8583", "decode", "-spec", "cup", exampleSale}, golden: "iso_example_sale.golden"},
		{name: "encode signed", args: []string{"iso8583", "encode", "-mac-alg", "cup", "-mac-key", "2222222222222222"}, stdin: saleFields, stdout: signedSale + "\n"},
		{name: "encode framed", args: []string{"iso8583", "encode", "-frame", "cup", "-tpdu", "6000060000", "-header", "603100311003", "-mac-alg", "cup", "-mac-key", "2222222222222222"},
			stdin: saleFields, stdout: "005B6000060000603100311003" + signedSale + "\n"},
		{name: "verify mac", args: []string{"iso8583", "decode", "-mac-alg", "cup", "-mac-key", "2222222222222222", "-json", signedSale}, golden: "iso_signed.json.golden"},
		// failures: exit 1
		{name: "mac mismatch", args: []string{"iso8583", "decode", "-mac-alg", "cup", "-mac-key", "3333333333333333", signedSale}, code: 1, errHas: "MAC mismatch"},
		{name: "no mac field", args: []string{"iso8583", "decode", "-mac-alg", "cup", "-mac-key", "2222222222222222", exampleSale}, code: 1, errHas: "no MAC field"},
		{name: "truncated", args: []string{"iso8583", "decode", exampleSale[:60]}, code: 1, errHas: "unpacking"},
		{name: "wrong spec", args: []string{"iso8583", "decode", "-spec", "ascii", exampleSale}, code: 1, errHas: "unpacking"},
		{name: "short frame", args: []string{"iso8583", "decode", "-frame", "cup", "005B6000"}, code: 1, errHas: "frame"},
		{name: "encode bad value", args: []string{"iso8583", "encode"}, stdin: `{"0":"0200","4":"12AB"}`, code: 1, errHas: "field 4"},
		{name: "encode mac key length", args: []string{"iso8583", "encode", "-mac-alg", "x919", "-mac-key", "2222222222222222"}, stdin: saleFields, code: 1, errHas: "invalid key length"},
		// usage errors: exit 2
		{name: "bad spec", args: []string{"iso8583", "decode", "-spec", "visa", exampleSale}, code: 2, errHas: `-spec "visa"`},
		{name: "bad frame", args: []string{"iso8583", "decode", "-frame", "x", exampleSale}, code: 2, errHas: `-frame "x"`},
		{name: "mac key without alg", args: []string{"iso8583", "decode", "-mac-key", "2222222222222222", exampleSale}, code: 2, errHas: "-mac-key needs -mac-alg"},
		{name: "mac alg without key", args: []string{"iso8583", "decode", "-mac-alg", "cup", exampleSale}, code: 2, errHas: "missing -mac-key"},
		{name: "unknown mac alg", args: []string{"iso8583", "encode", "-mac-alg", "sha", "-mac-key", "00"}, code: 2, errHas: `-mac-alg "sha"`},
		{name: "not hex", args: []string{"iso8583", "decode", "02X0"}, code: 2, errHas: "message is not hexadecimal"},
		{name: "encode not json", args: []string{"iso8583", "encode"}, stdin: `0200`, code: 2, errHas: "message JSON"},
		{name: "encode bad key", args: []string{"iso8583", "encode"}, stdin: `{"0":"0200","x":"1"}`, code: 2, errHas: `key "x"`},
		{name: "encode bitmap", args: []string{"iso8583", "encode"}, stdin: `{"0":"0200","1":"00"}`, code: 2, errHas: `key "1"`},
		{name: "encode no mti", args: []string{"iso8583", "encode"}, stdin: `{"11":"000001"}`, code: 2, errHas: "missing the MTI"},
		{name: "encode field not in spec", args: []string{"iso8583", "encode"}, stdin: `{"0":"0200","129":"1"}`, code: 2, errHas: "field 129"},
		{name: "encode binary not hex", args: []string{"iso8583", "encode"}, stdin: `{"0":"0200","52":"zz"}`, code: 2, errHas: "field 52"},
		{name: "encode bad out", args: []string{"iso8583", "encode", "-out", "b64"}, code: 2, errHas: `-out "b64"`},
		{name: "encode bad tpdu", args: []string{"iso8583", "encode", "-frame", "cup", "-tpdu", "60"}, code: 2, errHas: "-tpdu has 1 bytes"},
		{name: "encode bad header", args: []string{"iso8583", "encode", "-frame", "cup", "-header", "6031"}, code: 2, errHas: "-header has 2 bytes"},
		{name: "encode two files", args: []string{"iso8583", "encode", "a", "b"}, code: 2, errHas: "at most one"},
	})
}

// encode and decode agree on both specs, framed and not, hex and raw.
func TestISO8583RoundTrip(t *testing.T) {
	const fields = `{"0":"0200","2":"6224242900000113","3":"000000","4":"000000001000","11":"000001","14":"2806","22":"051","35":"6224242900000113=28062013949031013","41":"10000019","42":"850100082410002","49":"156","52":"1B9C1845EB993A7A","55":"9F260895BBE372271DDA7C9F360201579F2701809F1A020156"}`
	for _, spec := range []string{"cup", "ascii"} {
		for _, frame := range []string{"none", "cup", "tpdu", "len2", "len4"} {
			enc := poskit(t, fields, "iso8583", "encode", "-spec", spec, "-frame", frame, "-out", "raw", "-mac-alg", "x919", "-mac-key", "7CA110454A1A6E570131D9619DC1376E")
			if enc.code != 0 {
				t.Fatalf("%s/%s encode: %+v", spec, frame, enc)
			}
			dec := poskit(t, enc.stdout, "iso8583", "decode", "-spec", spec, "-frame", frame, "-in", "raw", "-unmask", "-json",
				"-mac-alg", "x919", "-mac-key", "7CA110454A1A6E570131D9619DC1376E")
			if dec.code != 0 {
				t.Fatalf("%s/%s decode: %+v", spec, frame, dec)
			}
			for _, want := range []string{`"mac": "verified"`, `"value": "6224242900000113"`, `"value": "1B9C1845EB993A7A"`, `"kind": "sale (消费)"`,
				`"value": "9F260895BBE372271DDA7C9F360201579F2701809F1A020156"`} {
				if !strings.Contains(dec.stdout, want) {
					t.Errorf("%s/%s: decode lacks %s:\n%s", spec, frame, want, dec.stdout)
				}
			}
			masked := poskit(t, enc.stdout, "iso8583", "decode", "-spec", spec, "-frame", frame, "-in", "raw")
			masked2 := poskit(t, enc.stdout, "iso8583", "decode", "-spec", spec, "-frame", frame, "-in", "raw", "-json")
			for _, out := range []string{masked.stdout, masked2.stdout} {
				for _, secret := range []string{"6224242900000113", "1B9C1845EB993A7A", "28062013949031013"} {
					if strings.Contains(out, secret) {
						t.Errorf("%s/%s: masked decode shows %s", spec, frame, secret)
					}
				}
			}
		}
	}
}

// Strict decoding by default, -lenient for captures, -spec-file with the
// package's own description and with a user's spec from moov's builder.
func TestISO8583StrictAndSpecFile(t *testing.T) {
	dir := t.TempDir()
	cupSpec := poskit(t, "", "iso8583", "spec", "-spec", "cup")
	if cupSpec.code != 0 || !strings.HasPrefix(cupSpec.stdout, "{") || !strings.Contains(cupSpec.stdout, "poskit.BCD.LLL") {
		t.Fatalf("spec: %+v", cupSpec)
	}
	cupFile := filepath.Join(dir, "cup.json")
	if err := os.WriteFile(cupFile, []byte(cupSpec.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	// a user's own spec: moov's ISO 8583:1987 ASCII spec as moov exports it
	own, err := specs.ExportJSON(specs.Spec87ASCII)
	if err != nil {
		t.Fatal(err)
	}
	ownFile := filepath.Join(dir, "own.json")
	if err := os.WriteFile(ownFile, own, 0o600); err != nil {
		t.Fatal(err)
	}
	m := moov.NewMessage(specs.Spec87ASCII)
	m.MTI("0800")
	_ = m.Field(11, "000123")
	_ = m.Field(41, "TERM0001")
	_ = m.Field(63, "note 4761739001010119")
	ownMsg, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	ownOut := poskit(t, "", "iso8583", "decode", "-spec-file", ownFile, "-in", "hex", hex.EncodeToString(ownMsg))
	if ownOut.code != 0 || !strings.Contains(ownOut.stdout, "TERM0001") || !strings.Contains(ownOut.stdout, "note 476173******0119") {
		t.Errorf("own spec: %+v", ownOut)
	}
	cupOut := poskit(t, "", "iso8583", "decode", "-spec-file", cupFile, exampleSale)
	want := poskit(t, "", "iso8583", "decode", "-spec", "cup", exampleSale)
	if cupOut.code != 0 || cupOut.stdout != want.stdout {
		t.Errorf("exported cup spec decodes differently: %+v", cupOut)
	}

	// magnetic-stripe batch upload records in field 48, and a PAN in 63
	batch := `{"0":"0320","11":"000001","41":"10000019","42":"850100082410002","48":"01000000010000006224242900000113000000001000","60":"00000024201","63":"CUPcard 6224242900000113"}`
	enc := poskit(t, batch, "iso8583", "encode")
	if enc.code != 0 {
		t.Fatalf("encode batch: %+v", enc)
	}
	for _, args := range [][]string{{}, {"-json"}} {
		out := poskit(t, "", append([]string{"iso8583", "decode"}, append(args, strings.TrimSpace(enc.stdout))...)...)
		if out.code != 0 || strings.Contains(out.stdout, "6224242900000113") || strings.Contains(out.stdout, "2429000001") ||
			!strings.Contains(out.stdout, "622424******0113") {
			t.Errorf("decode %v shows a PAN: %+v", args, out)
		}
	}

	zeros := strings.Repeat("\x00", 5000000)
	runCases(t, []cmdCase{
		{name: "trailing bytes", args: []string{"iso8583", "decode", exampleSale + "00"}, code: 1, errHas: "bytes after the last field"},
		{name: "trailing lenient", args: []string{"iso8583", "decode", "-lenient", "-json", exampleSale + "00"}, golden: "iso_lenient.json.golden"},
		{name: "zeros", args: []string{"iso8583", "decode", "-in", "raw"}, stdin: zeros, code: 1, errHas: "field 1 at offset 2"},
		{name: "empty track", args: []string{"iso8583", "decode", "0200000000002000000004FFFF"}, code: 1, errHas: "field 35 at offset 10"},
		{name: "lenient with mac", args: []string{"iso8583", "decode", "-lenient", "-mac-alg", "cup", "-mac-key", "2222222222222222", signedSale}, code: 2, errHas: "-lenient"},
		{name: "spec file missing", args: []string{"iso8583", "decode", "-spec-file", filepath.Join(dir, "none.json"), exampleSale}, code: 2, errHas: "none.json"},
		{name: "spec args", args: []string{"iso8583", "spec", "x"}, code: 2, errHas: "no arguments"},
		{name: "spec bad", args: []string{"iso8583", "spec", "-spec", "visa"}, code: 2, errHas: `-spec "visa"`},
	})
	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(bad, []byte(`{"fields":{"0":{"type":"String","length":4,"enc":"poskit.Nope","prefix":"poskit.ASCII.Fixed"}}}`), 0o600)
	if r := poskit(t, "", "iso8583", "decode", "-spec-file", bad, exampleSale); r.code != 1 || !strings.Contains(r.stderr, "bad spec description") {
		t.Errorf("bad spec file: %+v", r)
	}
}
