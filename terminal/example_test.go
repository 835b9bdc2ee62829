package terminal_test

import (
	"errors"
	"fmt"
	"time"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/terminal"
)

// A sale whose answer is lost is reversed before the next sale goes out;
// the batch then settles with the one sale the host kept.
func Example() {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	term := &iso8583.Terminal{Dialect: iso8583.UnionPay, TerminalID: "10000019",
		MerchantID: "850100082410002", Currency: "156", Batch: "000024", Now: func() time.Time { return now }}

	// A host in memory that loses its first answer (use a terminal.Link
	// to reach a real one).
	calls := 0
	host := terminal.SenderFunc(func(m *moov.Message) (*moov.Message, error) {
		req, _ := iso8583.FromMessage(m)
		fmt.Println("host got", req.MTI, "STAN", req.STAN)
		if calls++; calls == 1 {
			return nil, errors.New("read tcp: i/o timeout")
		}
		resp, _ := iso8583.NewResponse(req, "00", "632510000403", "123456", now)
		if req.MTI == "0500" {
			_ = resp.SetReconciliation(req, iso8583.ReconBalanced, iso8583.ReconBalanced)
		}
		return resp.Message(m.GetSpec())
	})

	pos, err := terminal.Open(terminal.Config{Terminal: term, Store: terminal.NewMemStore(), Sender: host})
	if err != nil {
		fmt.Println(err)
		return
	}
	card := iso8583.Card{PAN: "6224242900000113", Expiry: "2806"}
	fmt.Println(pos.Sale(card, 7600).Status)
	fmt.Println(pos.Sale(card, 1000).Status)
	res, err := pos.Settle()
	fmt.Println("settled batch", res.Batch, "debits", res.Totals.DebitCount, res.Totals.DebitAmount, err)
	fmt.Println("open batch", pos.Batch())
	// Output:
	// host got 0200 STAN 000001
	// unknown, reversal pending
	// host got 0400 STAN 000001
	// host got 0200 STAN 000002
	// approved
	// host got 0500 STAN 000003
	// settled batch 000024 debits 1 1000 <nil>
	// open batch 000025
}

// A POS with an operator table and a hot-card list: nothing goes out
// before an operator logs in, a card on the list is refused unsent, and
// a void needs the supervisor's password.
func ExamplePOS_Login() {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	term := &iso8583.Terminal{Dialect: iso8583.UnionPay, TerminalID: "10000019",
		MerchantID: "850100082410002", Currency: "156", Now: func() time.Time { return now }}
	host := terminal.SenderFunc(func(m *moov.Message) (*moov.Message, error) {
		req, _ := iso8583.FromMessage(m)
		fmt.Println("host got", req.Kind())
		resp, _ := iso8583.NewResponse(req, "00", "632510000403", "123456", now)
		return resp.Message(m.GetSpec())
	})
	ops, _ := terminal.NewOperators(terminal.OperatorConfig{})
	fmt.Println(ops.Add("01", "0000", terminal.RoleOperator)) // the factory default
	_ = ops.Add("02", "4711", terminal.RoleOperator)
	_ = ops.Add("09", "802156", terminal.RoleSupervisor)
	pos, err := terminal.Open(terminal.Config{Terminal: term, Store: terminal.NewMemStore(), Sender: host,
		Operators: ops, ManualDownload: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	hot, _ := terminal.NewHotList(terminal.HotListDownload{Version: 1, PANs: []string{"6224242900000999"}})
	_ = pos.SetHotList(hot)

	card := iso8583.Card{PAN: "6224242900000113", Expiry: "2806"}
	fmt.Println(pos.Sale(card, 1000).Err)
	fmt.Println(pos.Login("02", "4711"))
	sale := pos.Sale(card, 1000)
	fmt.Println(sale.Status, "by operator", sale.Operator)
	fmt.Println(pos.Sale(iso8583.Card{PAN: "6224242900000999", Expiry: "2806"}, 1000).Err)
	orig := iso8583.OriginalOf(sale.Request, sale.Response)
	fmt.Println(pos.Void(card, 1000, orig).Err)
	fmt.Println(pos.Void(card, 1000, orig, terminal.WithSupervisor("09", "802156")).Status)
	// Output:
	// terminal: password refused: one to three digits repeated
	// terminal: request not sent: no operator logged in
	// <nil>
	// host got sale
	// approved by operator 02
	// terminal: request not sent: card on the hot-card list: sale refused
	// terminal: request not sent: supervisor required: void needs the supervisor password
	// host got void
	// approved
}
