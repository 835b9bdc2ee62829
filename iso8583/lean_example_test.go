package iso8583_test

import (
	"fmt"
	"time"

	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/mac"
)

// A host's answer on the lean path: the request verified and read in one
// pass into a Transaction it keeps, the answer built into another and
// signed into a buffer it keeps; nothing goes through a moov message.
func Example_leanHost() {
	spec := iso8583.SpecUnionPay
	mak := []byte{0x7C, 0xA1, 0x10, 0x45, 0x4A, 0x1A, 0x6E, 0x57, 0x01, 0x31, 0xD9, 0x61, 0x9D, 0xC1, 0x37, 0x6E}
	alg, _ := mac.NewAESCMAC(mak) // key schedule once, for request and answer

	// what a terminal sends
	sale := &iso8583.Transaction{MTI: "0200", PAN: "6224242900000113", ProcessingCode: "000000",
		Amount: "000000001000", STAN: "000403", TerminalID: "10000019", MerchantID: "850100082410002", Currency: "156"}
	request, _ := sale.AppendSigned(nil, spec, alg)

	// the host, per connection: reused between requests
	var req, resp iso8583.Transaction
	var out []byte
	keyFor := func(t *iso8583.Transaction) (iso8583.MACAlgorithm, error) { return alg, nil } // by t.TerminalID
	if err := iso8583.VerifyInto(spec, request, &req, keyFor); err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 11, 21, 10, 30, 15, 0, time.UTC)
	_ = req.ResponseInto(&resp, "00", "632510000403", "123456", now)
	out, _ = resp.AppendSigned(out[:0], spec, alg)

	var back iso8583.Transaction
	err := iso8583.VerifyInto(spec, out, &back, keyFor)
	fmt.Println(back.MTI, back.STAN, back.ResponseCode, back.AuthCode, err)
	// Output: 0210 000403 00 123456 <nil>
}
