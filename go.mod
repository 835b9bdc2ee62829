module github.com/poskit/poskit

go 1.25.0

require (
	github.com/moov-io/bertlv v0.1.0 // indirect
	github.com/moov-io/iso8583 v0.26.1 // indirect
	github.com/moov-io/iso8583-connection v0.9.0 // indirect
	github.com/shopspring/decimal v1.4.0 // indirect
	github.com/yerden/go-util v1.1.4 // indirect
	golang.org/x/crypto v0.55.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)
