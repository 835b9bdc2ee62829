#!/usr/bin/env bash
# Runs every command line of README.md that runs poskit or an example, as
# written, from the repository root, and fails if one fails. A line is taken
# from a ```sh block when it starts with "poskit ", "go run ./examples/" or
# "go run ./cmd/poskit"; "poskit" runs a binary built from ./cmd/poskit, and
# what follows an unquoted '#' is a comment. Lines may read the files under
# testdata/ that the README names. Called by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/poskit" ./cmd/poskit
export PATH="$bin:$PATH"

# Secrets for the lines that show the file and environment forms.
export POSKIT_BDK=0123456789ABCDEFFEDCBA9876543210
printf '%s\n' 7CA110454A1A6E570131D9619DC1376E >"$bin/mak.hex"
export POSKIT_MAK_FILE="$bin/mak.hex"

n=0
fail=0
while IFS= read -r line; do
	n=$((n + 1))
	printf '  $ %s\n' "$line"
	if ! (cd "$PWD" && timeout 120 bash -c "$line" >"$bin/out" 2>&1); then
		echo "  FAILED:"
		sed 's/^/    /' "$bin/out" | tail -20
		fail=$((fail + 1))
	fi
done < <(awk '
	/^```sh/ { inblock = 1; next }
	/^```/   { inblock = 0; next }
	inblock && ($0 ~ /^(poskit |go run \.\/examples\/|go run \.\/cmd\/poskit)/ || $0 ~ /^[a-z].*\| *poskit /) { print }
' README.md)

echo "README commands: $((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$n" -gt 0 ]
