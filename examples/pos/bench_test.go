package main

import (
	"encoding/hex"
	"io"
	"testing"
	"time"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/mac"
	"github.com/poskit/poskit/pinblock"
)

// One full chip sale over loopback: DUKPT keys, PIN block, ARQC, MAC,
// framing, TCP, the host's unpack, MAC check, PIN check, ARQC check,
// ARPC, response MAC, and the terminal's checks of the answer.
func BenchmarkSaleRoundTrip(b *testing.B) {
	for _, c := range []struct {
		spec Spec
		dk   DUKPT
	}{{SpecASCII, DUKPTTDES}, {SpecASCII, DUKPTAES}, {SpecCUP, DUKPTTDES}} {
		b.Run(string(c.spec)+"-"+string(c.dk), func(b *testing.B) {
			h, err := NewHost(c.spec, c.dk, &tracer{w: io.Discard})
			if err != nil {
				b.Fatal(err)
			}
			defer h.Close()
			t, err := NewTerminal(c.spec, c.dk, h.Addr(), 1, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer t.Close()
			if err := t.SignOn(); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				r, err := t.ChipSale(1000)
				if err != nil || !r.Entry.Approved {
					b.Fatal(err)
				}
				if len(t.batch) >= 900 {
					if _, _, err := t.Settle(); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// hostCases are the two host benchmarks of issues 13 and 21: ISO 8583:1987
// with TDES DUKPT (X9.19 MACs, format 0 PIN block) and UnionPay with AES
// DUKPT (session MAK with the UnionPay MAC, format 4 PIN block).
var hostCases = []struct {
	spec Spec
	dk   DUKPT
}{{SpecASCII, DUKPTTDES}, {SpecCUP, DUKPTAES}}

// benchSales builds n approved chip sale requests with PIN, each with its
// own STAN and DUKPT transaction, and a host without a network that
// knows the terminal (its UnionPay session keys).
func benchSales(b *testing.B, spec Spec, dk DUKPT, n int) (*Host, []iso8583.Frame) {
	b.Helper()
	h, err := newHost(hostConfig{Spec: spec, DUKPT: dk})
	if err != nil {
		b.Fatal(err)
	}
	t, err := newTerminal(spec, dk, "", 1, nil)
	if err != nil {
		b.Fatal(err)
	}
	keys := iso8583.SessionKeys{PIN: mustHex("0123456789ABCDEF0123456789ABCDEF"), MAC: mustHex("FEDCBA9876543210FEDCBA9876543210")}
	if err := h.setSession(t.ID(), keys); err != nil {
		b.Fatal(err)
	}
	if t.mak, err = mac.NewCUPECB(keys.MAC); err != nil {
		b.Fatal(err)
	}
	frames := make([]iso8583.Frame, n)
	for i := range frames {
		tx, priv, k, _, err := t.buildCardSale(int64(1000+i%9000), false)
		if err != nil {
			b.Fatal(err)
		}
		if frames[i], _, err = t.pack(tx, priv, k); err != nil {
			b.Fatal(err)
		}
		k.wipe()
	}
	return h, frames
}

// BenchmarkHostSale is the host's CPU per approved chip sale without the
// network: the request bytes in, the response bytes out — unpack, MAC
// verify, DUKPT derivations, PIN decrypt, ARQC verify and ARPC, booking,
// response pack and MAC. Read it against BenchmarkHostPrimitives/*/sum of
// the same run.
func BenchmarkHostSale(b *testing.B) {
	for _, c := range hostCases {
		b.Run(string(c.spec)+"-"+string(c.dk), func(b *testing.B) {
			h, frames := benchSales(b, c.spec, c.dk, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				a, err := h.handle("bench", frames[i])
				if err != nil || a.noReply || len(a.packed) == 0 {
					b.Fatal(err)
				}
				a.release()
			}
			b.StopTimer()
			if tt := h.Totals(terminalID(1)); tt.DebitCount != b.N {
				b.Fatalf("%d sales booked, want %d", tt.DebitCount, b.N)
			}
		})
	}
}

// primitiveInputs are the inputs of the primitives the host performs
// for a sale, taken from real requests (a new DUKPT transaction each, so
// the derivations cost what they cost the host) and a real answer.
type primitiveInputs struct {
	spec Spec
	dk   DUKPT
	bdkT *dukpt.TDESReceiver
	bdkA *dukpt.AESReceiver
	mak  mac.Algorithm // UnionPay session MAK
	reqs []saleInputs
	i    int // the request the next call works on

	tx       iso8583.Transaction // the request, unpacked into (reused, as the host does)
	response iso8583.Transaction // the answer, MAC included, to pack
	resMsg   *moov.Message       // the same as a moov message, for moov's pack
	resMAB   []byte              // the answer's MAC block
	out      []byte              // the buffer the answer is packed into (reused, as the host does)
}

// saleInputs are one request's inputs.
type saleInputs struct {
	request  []byte // packed
	ksn      []byte
	reqMAB   []byte
	pinBlock []byte
	icc      []byte
}

func newPrimitiveInputs(b *testing.B, spec Spec, dk DUKPT, n int) *primitiveInputs {
	h, frames := benchSales(b, spec, dk, n)
	p := &primitiveInputs{spec: spec, dk: dk, bdkT: h.tdes, bdkA: h.aes, mak: h.sessions[terminalID(1)].mak.(mac.Algorithm)}
	for _, fr := range frames {
		m, err := iso8583.UnpackMessage(spec.spec(), fr.Message, iso8583.Strict)
		if err != nil {
			b.Fatal(err)
		}
		req, err := iso8583.FromMessage(m)
		if err != nil {
			b.Fatal(err)
		}
		priv, err := parse59(req.F59)
		if err != nil {
			b.Fatal(err)
		}
		in := saleInputs{request: fr.Message, icc: req.ICC, pinBlock: req.PINBlock}
		if in.ksn, err = hex.DecodeString(priv.ksn); err != nil {
			b.Fatal(err)
		}
		if len(in.pinBlock) == 0 {
			in.pinBlock, _ = hex.DecodeString(priv.pinBlock)
		}
		if in.reqMAB, err = iso8583.MAB(m); err != nil {
			b.Fatal(err)
		}
		p.reqs = append(p.reqs, in)
	}
	a, err := h.handle("bench", frames[0])
	if err != nil {
		b.Fatal(err)
	}
	if err := iso8583.UnpackInto(spec.spec(), a.packed, &p.response, iso8583.Strict); err != nil {
		b.Fatal(err)
	}
	if p.resMsg, err = p.response.Message(spec.spec()); err != nil {
		b.Fatal(err)
	}
	m, err := p.response.Message(spec.spec())
	if err != nil {
		b.Fatal(err)
	}
	if p.resMAB, err = iso8583.MAB(m); err != nil {
		b.Fatal(err)
	}
	return p
}

// cur is the request the primitives work on; next moves to the next one.
func (p *primitiveInputs) cur() *saleInputs { return &p.reqs[p.i] }
func (p *primitiveInputs) next()            { p.i = (p.i + 1) % len(p.reqs) }

// The primitives, one function each, as the host calls them: unpack and
// pack are iso8583's own, into a reused Transaction and buffer.
func (p *primitiveInputs) unpack() error {
	return iso8583.UnpackInto(p.spec.spec(), p.cur().request, &p.tx, iso8583.Strict)
}

// unpackMoov and packMoov are moov's unpack and pack of the same messages,
// for reference (not in the sum).
func (p *primitiveInputs) unpackMoov() error {
	return moov.NewMessage(p.spec.spec()).Unpack(p.cur().request)
}

func (p *primitiveInputs) packMoov() error {
	_, err := p.resMsg.Pack()
	return err
}

func (p *primitiveInputs) key(u dukpt.Usage) ([]byte, error) {
	if p.bdkA != nil {
		return p.bdkA.Key(p.cur().ksn, u, dukpt.AES128)
	}
	return p.bdkT.Key(p.cur().ksn, u)
}

// derive is the DUKPT work: PIN key, and on ISO 8583:1987 the two MAC keys.
func (p *primitiveInputs) derive() (pin, mq, mr []byte, err error) {
	if pin, err = p.key(dukpt.PINEncryption); err != nil || p.spec == SpecCUP {
		return pin, nil, nil, err
	}
	if mq, err = p.key(dukpt.MACGeneration); err != nil {
		return nil, nil, nil, err
	}
	mr, err = p.key(dukpt.MACVerification)
	return pin, mq, mr, err
}

// macs builds the MAC algorithms: on UnionPay the session MAK's schedule
// is kept from sign-on.
func (p *primitiveInputs) macs(mq, mr []byte) (req, resp mac.Algorithm, err error) {
	if p.spec == SpecCUP {
		return p.mak, p.mak, nil
	}
	if req, err = mac.NewISO9797Alg3(mq, mac.Method1); err != nil {
		return nil, nil, err
	}
	resp, err = mac.NewISO9797Alg3(mr, mac.Method1)
	return req, resp, err
}

func (p *primitiveInputs) pin(key []byte) (string, error) {
	f := pinblock.ISO0
	if p.dk == DUKPTAES {
		f = pinblock.ISO4
	}
	return pinblock.Decrypt(f, key, p.cur().pinBlock, card.PAN)
}

func (p *primitiveInputs) arqc() ([]byte, error) {
	return cvn.Verify(issuerMasterKey, card.PAN, card.PSN, p.cur().icc, emv.ARPCResponse{ARC: []byte("00"), CSU: []byte{0, 0, 0, 0}})
}

func (p *primitiveInputs) pack() error {
	var err error
	p.out, err = p.response.AppendPack(p.out[:0], p.spec.spec())
	return err
}

// all is the sum of the primitives: one sale's worth of them in sequence,
// on the next request.
func (p *primitiveInputs) all() error {
	defer p.next()
	if err := p.unpack(); err != nil {
		return err
	}
	pk, mq, mr, err := p.derive()
	if err != nil {
		return err
	}
	rq, rs, err := p.macs(mq, mr)
	if err != nil {
		return err
	}
	rq.MAC(p.cur().reqMAB)
	if _, err := p.pin(pk); err != nil {
		return err
	}
	if _, err := p.arqc(); err != nil {
		return err
	}
	if err := p.pack(); err != nil {
		return err
	}
	rs.MAC(p.resMAB)
	return nil
}

// BenchmarkHostPrimitives runs, on the inputs of a real sale, each
// primitive the host performs, and "sum": all of them in sequence. The
// host's overhead is BenchmarkHostSale / sum of the same run. Unpack and
// pack are iso8583's (UnpackInto, AppendPack), which the host uses;
// unpack-moov and pack-moov time moov's on the same messages, for
// reference, and are not in the sum.
func BenchmarkHostPrimitives(b *testing.B) {
	for _, c := range hostCases {
		p := newPrimitiveInputs(b, c.spec, c.dk, primitiveRequests)
		name := string(c.spec) + "-" + string(c.dk)
		// each primitive on the request p.cur(), with the keys of that request
		var pk, mq, mr []byte
		var rq, rs mac.Algorithm
		step := func() error {
			p.next()
			var err error
			if pk, mq, mr, err = p.derive(); err != nil {
				return err
			}
			rq, rs, err = p.macs(mq, mr)
			return err
		}
		for _, pr := range []struct {
			name string
			f    func() error
		}{
			{"unpack", p.unpack},
			{"dukpt", func() error { _, _, _, err := p.derive(); return err }},
			{"mac-keys", func() error { _, _, err := p.macs(mq, mr); return err }},
			{"mac-verify", func() error { rq.MAC(p.cur().reqMAB); return nil }},
			{"pin-decrypt", func() error { _, err := p.pin(pk); return err }},
			{"arqc-arpc", func() error { _, err := p.arqc(); return err }},
			{"pack", p.pack},
			{"mac-sign", func() error { rs.MAC(p.resMAB); return nil }},
			{"unpack-moov", p.unpackMoov},
			{"pack-moov", p.packMoov},
		} {
			b.Run(name+"/"+pr.name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					if i%64 == 0 { // move to another request now and then, untimed
						b.StopTimer()
						if err := step(); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
					if err := pr.f(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(name+"/sum", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := p.all(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// primitiveRequests is how many distinct requests the primitives cycle
// through: DUKPT derivation costs depend on the counter.
const primitiveRequests = 4096

// BenchmarkHostRatio alternates, request by request, the host's whole
// answer (as BenchmarkHostSale) and the sum of its primitives (as
// BenchmarkHostPrimitives/*/sum), and reports the ratio of the two
// times as host/sum: on a loaded machine both halves meet the same load,
// so the ratio holds where their ns/op do not.
func BenchmarkHostRatio(b *testing.B) {
	for _, c := range hostCases {
		b.Run(string(c.spec)+"-"+string(c.dk), func(b *testing.B) {
			p := newPrimitiveInputs(b, c.spec, c.dk, min(b.N, primitiveRequests))
			h, frames := benchSales(b, c.spec, c.dk, b.N)
			var host, sum time.Duration
			b.ResetTimer()
			for i := range b.N {
				t0 := time.Now()
				a, err := h.handle("bench", frames[i])
				if err != nil {
					b.Fatal(err)
				}
				a.release()
				t1 := time.Now()
				if err := p.all(); err != nil {
					b.Fatal(err)
				}
				host += t1.Sub(t0)
				sum += time.Since(t1)
			}
			b.ReportMetric(float64(host)/float64(sum), "host/sum")
			b.ReportMetric(float64(host.Nanoseconds())/float64(b.N), "host-ns/op")
			b.ReportMetric(float64(sum.Nanoseconds())/float64(b.N), "sum-ns/op")
		})
	}
}
