package receipt

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"

	"rsc.io/qr"
)

// svgGrid finds the <svg class="class"> element in an HTML page and decodes
// its path back into a grid of modules (grid[y][x], true = dark), dropping
// quiet modules on each side. It reads the path as an SVG renderer would:
// absolute M, relative h and v, z closing an axis-aligned rectangle that is
// filled module by module; any other command fails the test.
func svgGrid(t *testing.T, page []byte, class string, quiet int) [][]bool {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict, d.Entity = true, xml.HTMLEntity
	var viewBox, path string
	in := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := map[string]string{}
		for _, a := range se.Attr {
			attr[a.Name.Local] = a.Value
		}
		switch {
		case se.Name.Local == "svg":
			in = attr["class"] == class
			if in {
				viewBox = attr["viewBox"]
			}
		case se.Name.Local == "path" && in:
			path = attr["d"]
		}
	}
	f := strings.Fields(viewBox)
	if len(f) != 4 || f[0] != "0" || f[1] != "0" {
		t.Fatalf("svg %s: viewBox %q", class, viewBox)
	}
	w, _ := strconv.Atoi(f[2])
	h, _ := strconv.Atoi(f[3])
	full := make([][]bool, h)
	for y := range full {
		full[y] = make([]bool, w)
	}
	fillPath(t, path, full)
	grid := full[quiet : h-quiet]
	for y := range grid {
		grid[y] = grid[y][quiet : w-quiet]
	}
	return grid
}

func fillPath(t *testing.T, path string, full [][]bool) {
	t.Helper()
	var x, y int
	var pts [][2]int
	num := func(i int) (int, int) {
		j := i
		if j < len(path) && path[j] == '-' {
			j++
		}
		for j < len(path) && path[j] >= '0' && path[j] <= '9' {
			j++
		}
		v, err := strconv.Atoi(path[i:j])
		if err != nil {
			t.Fatalf("path %q: number at %d", path, i)
		}
		return v, j
	}
	for i := 0; i < len(path); {
		c := path[i]
		i++
		var n int
		switch c {
		case 'M':
			x, i = num(i)
			if i >= len(path) || path[i] != ' ' {
				t.Fatalf("path: M without y")
			}
			y, i = num(i + 1)
			pts = append(pts[:0], [2]int{x, y})
		case 'h':
			n, i = num(i)
			x += n
			pts = append(pts, [2]int{x, y})
		case 'v':
			n, i = num(i)
			y += n
			pts = append(pts, [2]int{x, y})
		case 'z':
			// z closes the subpath back to its start: four corners of an
			// axis-aligned rectangle, filled.
			if len(pts) != 4 || pts[0][1] != pts[1][1] || pts[1][0] != pts[2][0] || pts[2][1] != pts[3][1] || pts[3][0] != pts[0][0] {
				t.Fatalf("path: subpath %v is not a rectangle", pts)
			}
			x0, x1 := min(pts[0][0], pts[2][0]), max(pts[0][0], pts[2][0])
			y0, y1 := min(pts[0][1], pts[2][1]), max(pts[0][1], pts[2][1])
			for yy := y0; yy < y1; yy++ {
				for xx := x0; xx < x1; xx++ {
					if full[yy][xx] {
						t.Fatalf("path: module (%d,%d) filled twice", xx, yy)
					}
					full[yy][xx] = true
				}
			}
			pts = pts[:0]
		default:
			t.Fatalf("path: command %q", c)
		}
	}
}

// TestHTMLQRCode decodes the e-receipt's inline SVG back to its module grid
// and checks it against rsc.io/qr's own encoding of the slip's QR data
// module by module, then reads the grid as a QR reader would: the three
// finder patterns and the two copies of the format information (ISO/IEC
// 18004:2015 7.9: BCH(15,5) under mask 101010000010010, read in the
// orders a decoder such as ZXing's BitMatrixParser uses), which must agree
// and say error correction level M.
func TestHTMLQRCode(t *testing.T) {
	for _, data := range []string{"https://e.example.cn/r/4200001234202611211234567890", "000123000460", strings.Repeat("电子小票", 40)} {
		s := qrSlip()
		s.QRCode, s.Barcode = data, ""
		p, _ := NewPrinter(Config{})
		page, err := p.AppendHTML(nil, s)
		if err != nil {
			t.Fatal(err)
		}
		xmlText(t, page)
		if bytes.Contains(page, []byte(data)) {
			t.Errorf("QR data printed as text in the e-receipt")
		}
		grid := svgGrid(t, page, "qr", 4)
		want, err := qr.Encode(data, qr.M)
		if err != nil {
			t.Fatal(err)
		}
		if len(grid) != want.Size {
			t.Fatalf("grid %d modules, rsc.io/qr %d", len(grid), want.Size)
		}
		for y := range grid {
			for x := range grid[y] {
				if grid[y][x] != want.Black(x, y) {
					t.Fatalf("module (%d,%d) differs from rsc.io/qr", x, y)
				}
			}
		}
		checkFinders(t, grid)
		if lvl := formatLevel(t, grid); lvl != 0 {
			t.Errorf("error correction bits %02b, want 00 (M)", lvl)
		}
	}
}

func checkFinders(t *testing.T, g [][]bool) {
	t.Helper()
	n := len(g)
	for _, o := range [][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}} {
		for y := 0; y < 7; y++ {
			for x := 0; x < 7; x++ {
				ring := max(abs(x-3), abs(y-3))
				if want := ring != 2; g[o[1]+y][o[0]+x] != want {
					t.Fatalf("finder at %v: module (%d,%d)", o, x, y)
				}
			}
		}
	}
	if !g[n-8][8] {
		t.Errorf("dark module missing")
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// formatLevel reads both copies of the format information and returns the
// error correction level bits.
func formatLevel(t *testing.T, g [][]bool) int {
	t.Helper()
	n := len(g)
	for _, mirror := range []bool{false, true} {
		get := func(i, j int) int {
			v := g[j][i]
			if mirror {
				v = g[i][j]
			}
			if v {
				return 1
			}
			return 0
		}
		var a, b int
		for i := 0; i < 6; i++ {
			a = a<<1 | get(i, 8)
		}
		a = a<<1 | get(7, 8)
		a = a<<1 | get(8, 8)
		a = a<<1 | get(8, 7)
		for j := 5; j >= 0; j-- {
			a = a<<1 | get(8, j)
		}
		for j := n - 1; j >= n-7; j-- {
			b = b<<1 | get(8, j)
		}
		for i := n - 8; i < n; i++ {
			b = b<<1 | get(i, 8)
		}
		if a == b && validFormat(a^0x5412) {
			return (a ^ 0x5412) >> 13
		}
	}
	t.Fatal("no valid format information")
	return -1
}

// validFormat checks the BCH(15,5) code of format information, generator
// x^10+x^8+x^5+x^4+x^2+x+1 (0x537).
func validFormat(v int) bool {
	r := v >> 10 << 10
	for i := 14; i >= 10; i-- {
		if r&(1<<i) != 0 {
			r ^= 0x537 << (i - 10)
		}
	}
	return v>>10<<10|r == v
}
