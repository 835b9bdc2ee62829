package qr

import (
	"reflect"
	"testing"
)

// FuzzParse: Parse never panics, and whatever it accepts String writes back
// byte for byte and parses again to the same objects.
func FuzzParse(f *testing.F) {
	f.Add(sample)
	f.Add(withCRC(minimal))
	f.Add(withCRC(minimal + "64200002ZH0104最佳运输0202北京"))
	f.Add("000201")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			return
		}
		out := p.String()
		if out != s {
			t.Fatalf("round trip:\n in %q\nout %q", s, out)
		}
		q, err := Parse(out)
		if err != nil || !reflect.DeepEqual(p, q) {
			t.Fatalf("re-parse: %v", err)
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted payload fails Validate: %v", err)
		}
		p.Accounts()
		p.AdditionalData()
		p.Language()
		p.Unreserved()
	})
}

// FuzzDecodeCPM: DecodeCPM never panics, and what it accepts encodes and
// decodes again to the same payload.
func FuzzDecodeCPM(f *testing.F) {
	s, _ := sampleCPM().Encode()
	f.Add(s)
	f.Add("hQVDUFYwMWEJTwegAAAAAxAQ")
	f.Add("hQVDUFYwMQ==")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := DecodeCPM(s)
		if err != nil {
			return
		}
		enc, err := c.Encode()
		if err != nil {
			t.Fatalf("accepted payload does not encode: %v", err)
		}
		d, err := DecodeCPM(enc)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !reflect.DeepEqual(normCPM(c), normCPM(d)) {
			t.Fatalf("re-decode differs")
		}
	})
}

// normCPM turns empty slices into nil so that DeepEqual compares content.
func normCPM(c CPM) CPM {
	n := func(t CPMTemplate) CPMTemplate {
		for i := range t.Elements {
			if len(t.Elements[i].Value) == 0 {
				t.Elements[i].Value = nil
			}
		}
		if len(t.Transparent) == 0 && t.Transparent != nil {
			t.Transparent = []byte{}
		}
		return t
	}
	for i := range c.Applications {
		c.Applications[i] = n(c.Applications[i])
	}
	if c.Common != nil {
		x := n(*c.Common)
		c.Common = &x
	}
	return c
}

// FuzzProfiles: Read never panics and keeps what it could read; for every
// profile, Check never panics, its first finding is ValidateProfile's, and a
// payload without findings comes back byte for byte from String.
func FuzzProfiles(f *testing.F) {
	for _, rp := range realPayloads {
		f.Add(rp.text)
	}
	f.Add(withCRC(minimal + "64280002ZH0112最佳运输0206北京"))
	f.Fuzz(func(t *testing.T, s string) {
		p, rerr := Read(s)
		if rerr == nil && p.String() != s {
			t.Fatalf("Read accepted %q but String gives %q", s, p.String())
		}
		for _, prof := range Profiles() {
			findings := p.Check(prof)
			err := p.ValidateProfile(prof)
			if (err == nil) != (len(findings) == 0) || err != nil && err.Error() != findings[0].Error() {
				t.Fatalf("%s: ValidateProfile %v, Check %v", prof.Name(), err, findings)
			}
			for _, e := range findings {
				if _, ok := e.(*Error); !ok {
					t.Fatalf("%s: finding %T", prof.Name(), e)
				}
			}
		}
	})
}
