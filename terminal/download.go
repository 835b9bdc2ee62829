package terminal

import "github.com/poskit/poskit/iso8583"

// BucketDownload holds what the host downloads to the terminal: the
// hot-card list and the download set (terminal parameters, CA public
// keys, AID parameters).
const BucketDownload = "download"

// loadDownload reads the download set at Open.
func (p *POS) loadDownload() error { return nil }

// afterAnswer notes a host's request for a download in an answer.
func (p *POS) afterAnswer(*iso8583.Transaction) {}
