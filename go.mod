module github.com/poskit/poskit

go 1.25.0

require (
	github.com/moov-io/bertlv v0.1.0
	github.com/moov-io/iso8583 v0.26.1
	github.com/moov-io/iso8583-connection v0.9.0
	github.com/shopspring/decimal v1.4.0
	go.etcd.io/bbolt v1.4.3
	golang.org/x/crypto v0.55.0
	golang.org/x/text v0.41.0
	rsc.io/qr v0.2.0
)

require (
	github.com/yerden/go-util v1.1.4 // indirect
	golang.org/x/sys v0.47.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
