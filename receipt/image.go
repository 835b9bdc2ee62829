package receipt

import (
	"fmt"
	"image"
	"image/color"

	"rsc.io/qr"
)

// bitmap is a 1-bit image, rows of w bits padded to whole bytes, most
// significant bit first: the layout of ESC/POS GS v 0 raster data.
type bitmap struct {
	w, h, stride int
	bits         []byte
}

func (b *bitmap) black(x, y int) bool { return b.bits[y*b.stride+x/8]&(0x80>>(x%8)) != 0 }

const maxLogoDots = 1024 // the highest logo, in dots, after scaling

// logoBitmap reduces img to 1 bit, scaled down (nearest neighbour) to at
// most maxW dots wide. A pixel prints when it is at least half opaque and
// darker than mid grey.
func logoBitmap(img image.Image, maxW int) (*bitmap, error) {
	r := img.Bounds()
	sw, sh := r.Dx(), r.Dy()
	if sw <= 0 || sh <= 0 {
		return nil, fmt.Errorf("%w: empty image", ErrLogo)
	}
	w, h := sw, sh
	if w > maxW {
		w, h = maxW, int(int64(sh)*int64(maxW)/int64(sw))
	}
	if h < 1 || h > maxLogoDots {
		return nil, fmt.Errorf("%w: %d dots high after scaling, want 1 to %d", ErrLogo, h, maxLogoDots)
	}
	b := &bitmap{w: w, h: h, stride: (w + 7) / 8}
	b.bits = make([]byte, b.stride*h)
	for y := 0; y < h; y++ {
		sy := r.Min.Y + int(int64(y)*int64(sh)/int64(h))
		for x := 0; x < w; x++ {
			c := img.At(r.Min.X+int(int64(x)*int64(sw)/int64(w)), sy)
			if _, _, _, a := c.RGBA(); a < 0x8000 {
				continue
			}
			if color.GrayModel.Convert(c).(color.Gray).Y < 0x80 {
				b.bits[y*b.stride+x/8] |= 0x80 >> (x % 8)
			}
		}
	}
	return b, nil
}

// rasterESC returns the ESC/POS commands that print b centred: ESC a 1,
// GS v 0 (normal density), ESC a 0.
func (b *bitmap) rasterESC() []byte {
	out := make([]byte, 0, 14+len(b.bits))
	out = append(out, 0x1B, 'a', 1,
		0x1D, 'v', '0', 0, byte(b.stride), byte(b.stride>>8), byte(b.h), byte(b.h>>8))
	out = append(out, b.bits...)
	return append(out, 0x1B, 'a', 0)
}

// qrBitmap encodes data as a QR code with error correction level M.
func qrBitmap(data string) (*bitmap, error) {
	c, err := qr.Encode(data, qr.M)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCode, err)
	}
	b := &bitmap{w: c.Size, h: c.Size, stride: (c.Size + 7) / 8}
	b.bits = make([]byte, b.stride*c.Size)
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; x++ {
			if c.Black(x, y) {
				b.bits[y*b.stride+x/8] |= 0x80 >> (x % 8)
			}
		}
	}
	return b, nil
}

// appendSVG appends b as an inline SVG image with a quiet zone of quiet
// modules on each side: one path, a "M x y h n v 1 h -n z" rectangle for
// each horizontal run of dark modules. The image scales with its box
// (viewBox) and keeps its modules crisp; px, when not 0, is its width in
// CSS pixels.
func appendSVG(dst []byte, b *bitmap, quiet int, class string, px int) []byte {
	dst = append(dst, `<svg xmlns="http://www.w3.org/2000/svg" class="`...)
	dst = append(dst, class...)
	if px > 0 {
		dst = append(dst, `" width="`...)
		dst = appendUint(dst, uint64(px))
	}
	dst = append(dst, `" viewBox="0 0 `...)
	dst = appendUint(dst, uint64(b.w+2*quiet))
	dst = append(dst, ' ')
	dst = appendUint(dst, uint64(b.h+2*quiet))
	dst = append(dst, `" shape-rendering="crispEdges" role="img"><path fill="#000" d="`...)
	for y := 0; y < b.h; y++ {
		for x := 0; x < b.w; {
			if !b.black(x, y) {
				x++
				continue
			}
			n := 1
			for x+n < b.w && b.black(x+n, y) {
				n++
			}
			dst = append(dst, 'M')
			dst = appendUint(dst, uint64(x+quiet))
			dst = append(dst, ' ')
			dst = appendUint(dst, uint64(y+quiet))
			dst = append(dst, 'h')
			dst = appendUint(dst, uint64(n))
			dst = append(dst, "v1h-"...)
			dst = appendUint(dst, uint64(n))
			dst = append(dst, 'z')
			x += n
		}
	}
	return append(dst, `"/></svg>`...)
}
