package main

import (
	"strings"
	"testing"
)

// shellWords splits a command line of the usage examples: words separated
// by spaces, single quotes grouping.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	inQuote, inWord := false, false
	for _, r := range line {
		switch {
		case r == '\'':
			inQuote = !inQuote
			inWord = true
		case r == ' ' && !inQuote:
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// Every example in a usage text runs, and prints the lines shown under it
// ("..." stands for lines left out). Examples that need a file or a pipe
// are skipped.
func TestUsageExamplesRun(t *testing.T) {
	all := [][]string{
		{"kcv"}, {"mac"}, {"qr", "decode"}, {"qr", "encode"}, {"receipt", "render"},
		{"pinblock", "encode"}, {"pinblock", "decode"}, {"pinblock", "encrypt"}, {"pinblock", "decrypt"},
		{"dukpt", "derive"}, {"tlv", "decode"}, {"fee", "quote"}, {"iso8583", "decode"}, {"iso8583", "encode"},
	}
	ran := 0
	for _, cmd := range all {
		help := poskit(t, "", append(cmd, "-h")...).stdout
		_, ex, ok := strings.Cut(help, "\nexample:\n")
		if !ok {
			t.Errorf("%v: no example", cmd)
			continue
		}
		ex, _, _ = strings.Cut(ex, "\n\n")
		type example struct {
			line string
			want []string
		}
		var exs []example
		for _, l := range strings.Split(ex, "\n") {
			switch {
			case strings.HasPrefix(l, "  poskit "):
				exs = append(exs, example{line: strings.TrimPrefix(l, "  ")})
			case strings.HasPrefix(l, "    ") && len(exs) > 0:
				exs[len(exs)-1].want = append(exs[len(exs)-1].want, strings.TrimPrefix(l, "    "))
			}
		}
		for _, x := range exs {
			if strings.ContainsAny(x.line, "|<>") || strings.Contains(x.line, ".json") {
				continue
			}
			args := shellWords(x.line)[1:]
			r := poskit(t, "", args...)
			if r.code != 0 {
				t.Errorf("example %q: exit %d: %s", x.line, r.code, r.stderr)
				continue
			}
			ran++
			lines := strings.Split(r.stdout, "\n")
			i := 0
			for _, w := range x.want {
				if w == "..." {
					continue
				}
				for i < len(lines) && lines[i] != w {
					i++
				}
				if i == len(lines) {
					t.Errorf("example %q: output lacks line %q (in order):\n%s", x.line, w, r.stdout)
					break
				}
			}
		}
	}
	if ran < 12 {
		t.Errorf("only %d examples ran", ran)
	}
}
