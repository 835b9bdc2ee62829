package iso8583

import (
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Terminal management downloads (终端参数, IC卡公钥, IC卡参数 and 黑名单
// downloads).
//
// A UnionPay POS learns its configuration from the acquirer's host in
// network management exchanges: a status query (0820, answered by 0830)
// lists what the host holds, one download request per item (0800/0810)
// fetches it, and an end message (0800/0810) closes the download. The
// item travels in field 62. The 60.3 codes below are the ones UnionPay
// terminals send (seen in the transaction tables of several public POS
// applications, which agree on them): 360 parameter transmission (参数传递),
// 370/371/372 CA public keys (IC卡公钥下载, 下载结束, 状态上送), 380/381/382
// AID parameters (IC卡参数下载, 下载结束, 状态上送), 390/391 the hot-card
// list (黑名单下载, 下载结束). 361, the end of a parameter download, is
// rarer in the sources; poskit uses it.
//
// ISO87 has no such codes: poskit sends the same three digits in field 70
// of an 0800 (status queries too, which UnionPay sends as 0820), and field
// 62, which Spec87ASCII defines as ans...999, carries the same payload in
// upper-case hex. The payload of one message is therefore at most 512 bytes
// on UnionPay (field 62 is b...512) and 499 bytes on ISO87.
const (
	NetParamDownload      = "360" // 0800: terminal parameter download (参数传递)
	NetParamDownloadEnd   = "361" // 0800: end of the parameter download
	NetCAKeyDownload      = "370" // 0800: one CA public key (IC卡公钥下载)
	NetCAKeyDownloadEnd   = "371" // 0800: end of the CA key download
	NetCAKeyQuery         = "372" // 0820: which CA keys the host holds (状态上送)
	NetAIDDownload        = "380" // 0800: one AID's parameters (IC卡参数下载)
	NetAIDDownloadEnd     = "381" // 0800: end of the AID download
	NetAIDQuery           = "382" // 0820: which AIDs the host holds
	NetHotListDownload    = "390" // 0800: one part of the hot-card list (黑名单下载)
	NetHotListDownloadEnd = "391" // 0800: end of the hot-card list download
)

// ErrDownload reports a download message whose field 62 does not hold
// what its 60.3 (or field 70) code says: a missing or malformed TLV object
// (the error names the tag, never its value), a list status other than 0,
// 1 or 2, a parameter entry of unknown ID, or a message that is not the
// expected step of a download.
var ErrDownload = errors.New("iso8583: malformed download message")

// DownloadStep is the place of a message in a download exchange.
type DownloadStep uint8

// Download steps.
const (
	StepNone  DownloadStep = iota // not a download message
	StepQuery                     // status query: what the host holds (0820/0830)
	StepItem                      // one item: a key, an AID, parameters, a list part
	StepEnd                       // end of the download
)

var stepNames = [...]string{"none", "query", "item", "end"}

// String names the step.
func (s DownloadStep) String() string {
	if int(s) < len(stepNames) {
		return stepNames[s]
	}
	return "none"
}

// downloadCodes maps a download code to its kind and step.
var downloadCodes = map[string]struct {
	kind Kind
	step DownloadStep
}{
	NetParamDownload: {KindParameterDownload, StepItem}, NetParamDownloadEnd: {KindParameterDownload, StepEnd},
	NetCAKeyQuery: {KindCAKeyDownload, StepQuery}, NetCAKeyDownload: {KindCAKeyDownload, StepItem},
	NetCAKeyDownloadEnd: {KindCAKeyDownload, StepEnd},
	NetAIDQuery:         {KindAIDDownload, StepQuery}, NetAIDDownload: {KindAIDDownload, StepItem},
	NetAIDDownloadEnd:  {KindAIDDownload, StepEnd},
	NetHotListDownload: {KindHotListDownload, StepItem}, NetHotListDownloadEnd: {KindHotListDownload, StepEnd},
}

// netCode returns the network management code of t: 60.3 on UnionPay,
// field 70 on ISO87.
func (t *Transaction) netCode() string {
	if t.F60 != nil {
		return t.F60.NetMgmt
	}
	return t.NetworkMgmtCode
}

// DownloadStep returns the step of a download request or answer (an 08xx
// message with one of the download codes), StepNone for any other message.
// Kind tells which download it belongs to.
func (t *Transaction) DownloadStep() DownloadStep {
	if len(t.MTI) != 4 || t.MTI[:2] != "08" {
		return StepNone
	}
	return downloadCodes[t.netCode()].step
}

// HostRequest is what the host asks a UnionPay terminal to do next: the
// processing request (处理要求) nibble of the message header of any answer.
// The values are UnionPay's: 1 download terminal parameters, 2 upload the
// terminal status, 3 sign on again, 4 update the CA public keys, 5 download
// the IC card (AID) parameters, 6 TMS download, 7 download the card BIN
// hot list, 8 download currency rates.
type HostRequest uint8

// Host requests.
const (
	RequestNone         HostRequest = 0
	RequestParameters   HostRequest = 1 // 下传终端参数
	RequestStatusUpload HostRequest = 2 // 上传终端状态信息
	RequestSignOn       HostRequest = 3 // 重新签到
	RequestCAKeys       HostRequest = 4 // 更新公钥信息
	RequestAIDs         HostRequest = 5 // 下载IC卡参数
	RequestTMS          HostRequest = 6 // TMS参数下载
	RequestHotList      HostRequest = 7 // 卡BIN黑名单下载
	RequestRates        HostRequest = 8 // 币种汇率下载
)

// Download returns the kind of download the request asks for
// (KindParameterDownload, KindCAKeyDownload, KindAIDDownload,
// KindHotListDownload), or KindUnknown for a request that is not one
// poskit builds.
func (r HostRequest) Download() Kind {
	switch r {
	case RequestParameters:
		return KindParameterDownload
	case RequestCAKeys:
		return KindCAKeyDownload
	case RequestAIDs:
		return KindAIDDownload
	case RequestHotList:
		return KindHotListDownload
	}
	return KindUnknown
}

// DownloadRequested returns what the host asks for in its answer resp
// received with header h. UnionPay (resp has field 60): the processing
// request nibble of h. ISO87, which has no message header: poskit's
// convention is one digit, the same values, in field 48 of a network
// management answer (0810 or 0830, e.g. the answer to a sign-on or echo);
// h is ignored. RequestNone when nothing is asked.
func DownloadRequested(resp *Transaction, h Header) HostRequest {
	if resp == nil {
		return RequestNone
	}
	if resp.F60 != nil {
		return HostRequest(h.ProcessingRequest())
	}
	if len(resp.MTI) == 4 && resp.MTI[:2] == "08" && len(resp.AdditionalData) == 1 {
		if c := resp.AdditionalData[0]; c >= '0' && c <= '9' {
			return HostRequest(c - '0')
		}
	}
	return RequestNone
}

// RequestDownload is the host side of DownloadRequested: on UnionPay it
// returns h with its processing request nibble set to r (send the answer
// with that header); on ISO87 it sets field 48 of resp, which must be a
// network management answer, and returns h unchanged.
//
// Errors: ErrMTI for an ISO87 answer that is not 08x0, ErrDownload for r
// above 9.
func RequestDownload(resp *Transaction, h Header, r HostRequest) (Header, error) {
	if r > 9 {
		return h, fmt.Errorf("%w: host request %d", ErrDownload, r)
	}
	if resp != nil && resp.F60 != nil {
		h[2] = h[2]&0xF0 | byte(r)
		return h, nil
	}
	if resp == nil || len(resp.MTI) != 4 || resp.MTI[:2] != "08" || resp.MTI[2]&1 == 0 {
		return h, fmt.Errorf("%w: ISO87 carries the host request in a network management answer", ErrMTI)
	}
	resp.AdditionalData = string(rune('0' + r))
	if r == RequestNone {
		resp.AdditionalData = ""
	}
	return h, nil
}

// Field 62 payload limits, see the package constants' comment.
const (
	maxPayloadUnionPay = 512
	maxPayloadISO87    = 499
)

// maxPayload returns the largest payload a message like t carries.
func maxPayload(t *Transaction) int {
	if t.F60 != nil {
		return maxPayloadUnionPay
	}
	return maxPayloadISO87
}

// payloadOf returns the download payload of t: field 62 as it is on
// UnionPay (t has field 60), hex-decoded on ISO87.
func payloadOf(t *Transaction) ([]byte, error) {
	if t.F60 != nil {
		return t.F62, nil
	}
	b := make([]byte, hex.DecodedLen(len(t.F62)))
	if _, err := hex.Decode(b, t.F62); err != nil {
		return nil, fmt.Errorf("%w: field 62 is not hex", ErrDownload)
	}
	return b, nil
}

// setPayload stores p in field 62 of t, hex-encoded on ISO87.
func setPayload(t *Transaction, p []byte) {
	if len(p) == 0 {
		t.F62 = nil
		return
	}
	if t.F60 != nil {
		t.F62 = p
		return
	}
	t.F62 = []byte(fmt.Sprintf("%X", p))
}

// downloadRequest builds the request of a download step: UnionPay mti
// (0800 or 0820) with 60.3 code, ISO87 0800 with field 70 code; payload in
// field 62.
func (t *Terminal) downloadRequest(mti, code string, payload []byte) (*Transaction, error) {
	tx, err := t.networkRequest(mti, code, code)
	if err != nil {
		return nil, err
	}
	setPayload(tx, payload)
	return tx, nil
}

// expect checks that t is a message of the given kind and step.
func (t *Transaction) expect(k Kind, s DownloadStep) error {
	if t == nil || t.Kind() != k || t.DownloadStep() != s {
		return fmt.Errorf("%w: not a %s %s message", ErrDownload, k, s)
	}
	return nil
}

// newDownloadResponse builds the host's approved answer to req with
// payload in field 62.
func newDownloadResponse(req *Transaction, payload []byte, now time.Time) (*Transaction, error) {
	r, err := NewResponse(req, "00", "", "", now)
	if err != nil {
		return nil, err
	}
	if len(payload) > maxPayload(r) {
		return nil, fmt.Errorf("%w: %d bytes do not fit field 62", ErrDownload, len(payload))
	}
	setPayload(r, payload)
	return r, nil
}

// DownloadEnd builds the end message of a download of kind k
// (KindParameterDownload, KindCAKeyDownload, KindAIDDownload or
// KindHotListDownload): UnionPay 0800 with 60.3 361, 371, 381 or 391;
// ISO87 0800 with the same code in field 70. The host answers it with
// NewResponse.
func (t *Terminal) DownloadEnd(k Kind) (*Transaction, error) {
	code := map[Kind]string{
		KindParameterDownload: NetParamDownloadEnd, KindCAKeyDownload: NetCAKeyDownloadEnd,
		KindAIDDownload: NetAIDDownloadEnd, KindHotListDownload: NetHotListDownloadEnd,
	}[k]
	if code == "" {
		return nil, fmt.Errorf("%w: %s is not a download", ErrDownload, k)
	}
	return t.downloadRequest("0800", code, nil)
}
