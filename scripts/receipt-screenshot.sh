#!/bin/sh
# receipt-screenshot.sh renders the example e-receipts (a sale slip with a
# logo and a QR code, and a settlement slip) as HTML for 58 mm and 80 mm
# paper, takes the transfer slip (its three copies) and the download slip
# from the receipt package's golden e-receipts, and screenshots each in
# headless Chromium at the paper's width
# (58 mm = 219 CSS px, 80 mm = 302 px at 96 px an inch), at a phone's
# width (390 px) and at a deliberately narrow 160 px, where every amount,
# ID and date must move whole below its label rather than break.
#
# Not run by .ci/run: it needs Chromium (Debian: apt-get install chromium)
# and a CJK font (apt-get install fonts-wqy-microhei or fonts-noto-cjk).
# Look at the PNGs.
#
#	scripts/receipt-screenshot.sh [OUTDIR]   # default /tmp/receipt-screenshots
set -eu

out=${1:-/tmp/receipt-screenshots}
cd "$(dirname "$0")/.."
mkdir -p "$out"
out=$(cd "$out" && pwd)

chromium=
for c in chromium chromium-browser google-chrome; do
	if command -v "$c" >/dev/null 2>&1; then
		chromium=$c
		break
	fi
done
if [ -z "$chromium" ]; then
	echo "receipt-screenshot: no Chromium found (apt-get install chromium)" >&2
	exit 1
fi

for paper in 58 80; do
	go run ./examples/receipt -dir "$out/$paper" -paper "$paper" >/dev/null
done

# shot HTML WIDTH PNG: a full-page screenshot at WIDTH CSS pixels, twice
# the pixel density so that the CJK glyphs are legible.
shot() {
	"$chromium" --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
		--force-device-scale-factor=2 --window-size="$2,1700" \
		--screenshot="$3" "file://$1" >/dev/null 2>&1
	echo "wrote $3"
}

for doc in slip settlement; do
	shot "$out/58/$doc.html" 219 "$out/$doc-58mm.png"
	shot "$out/80/$doc.html" 302 "$out/$doc-80mm.png"
	shot "$out/80/$doc.html" 390 "$out/$doc-phone.png"
	shot "$out/58/$doc.html" 160 "$out/$doc-160px.png"
done

golden=$(pwd)/receipt/testdata/golden
for doc in transfer_fee_pin download_report; do
	shot "$golden/${doc}_32col_bi.html" 219 "$out/$doc-58mm.png"
	shot "$golden/${doc}_48col_bi.html" 302 "$out/$doc-80mm.png"
	shot "$golden/${doc}_32col_bi.html" 160 "$out/$doc-160px.png"
done
