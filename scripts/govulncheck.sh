#!/usr/bin/env bash
# Checks poskit and its dependencies against the Go vulnerability database
# with govulncheck, pinned to an exact version. It needs the database
# to be reachable over the network, so it is not part of .ci/run: run it by
# hand or from a CI that has the network.
set -euo pipefail
cd "$(dirname "$0")/.."
go run golang.org/x/vuln/cmd/govulncheck@v1.1.4 ./...
