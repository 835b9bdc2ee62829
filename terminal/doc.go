// Package terminal runs the terminal side of the card-payment
// transaction lifecycle on top of [iso8583]: online requests that are
// never left in doubt, a store-and-forward queue of reversals (冲正) and
// advices, and the batch journal that settlement totals and the batch
// upload come from.
//
// A [POS] keeps its state in a [Store] — [MemStore] for tests,
// boltstore.Open for a durable file — and talks to the host through a
// [Sender], usually a [Link] over moov-io/iso8583-connection:
//
//	link, _ := terminal.NewLink(terminal.LinkConfig{Addr: "host:5000", Conn: iso8583.Conn{
//		Spec: iso8583.SpecUnionPay, Framing: iso8583.UnionPayFraming, TPDU: tpdu, Header: hdr}})
//	pos, err := terminal.Open(terminal.Config{Terminal: &term, Store: store, Sender: link})
//	out := pos.Sale(card, 1000) // Approved, Declined or ReversalPending
//	res, err := pos.Settle()    // 0500, batch upload if unbalanced, next batch
//
// The flow of [POS.Request], which [POS.Sale] calls:
//
//  1. the queue is delivered first ([POS.Flush]): each reversal 0400 (or
//     advice 0220) is counted in the store, sent, and removed when
//     acknowledged; later sends are repeats (0401, 0221), up to
//     Config.MaxRepeats and Config.Expiry, after which the record moves
//     to [POS.Expired];
//  2. the reversal of the new request is written and synced, with the
//     STAN and the DUKPT key state, before the request leaves;
//  3. an approving answer moves the record to the journal, a declining
//     one deletes it, in one atomic write;
//  4. anything else — a timeout, a dropped connection, an answer that
//     does not unpack or verify, a response code whose action is
//     "reverse" — leaves the reversal queued: the [Outcome] is
//     ReversalPending, never a raw I/O error.
//
// A process killed at any step loses nothing: on [Open] the queue and
// the journal come back from the store, and a reversal whose request
// may have left is sent before anything else.
//
// Terminal management sits on the same store and link:
//
//	pos, err := terminal.Open(terminal.Config{Terminal: &term, Store: store, Sender: link, Operators: ops})
//	pos.SignOn()                 // first start: parameters, CA keys, AIDs, hot-card list downloaded
//	err = pos.Login("02", pw)    // requests need a logged-in operator when there is a table
//	out := pos.Sale(card, 1000)  // refused unsent (ErrHotCard) when the card is on the hot-card list
//	out = pos.Void(card, 1000, orig, terminal.WithSupervisor("09", supervisorPW))
//	out = pos.Transfer(card, 50000, payee)
//	keys := pos.CAKeys()         // an emv.CAPKStore for offline data authentication
//
// Downloads ([POS.Download]) run at sign-on when something was never
// downloaded and whenever the host asks in an answer; a new set replaces
// the old in one Store write, so a download cut short leaves the old one
// in force. Settlement totals split domestic and foreign cards
// (Config.Domestic); reversals and advices given up stay in the Store
// until [POS.AckExpired] and are counted by [POS.Reconciliation].
package terminal
