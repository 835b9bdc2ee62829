// Command gentms writes the example's terminal management file
// (testdata/tms.json) and its chip card's personalisation
// (testdata/card.json), made by tms.Generate with TEST keys only:
//
//	go generate ./examples/pos     # runs: go run ./internal/gentms -out testdata
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/poskit/poskit/examples/pos/internal/tms"
)

func main() {
	out := flag.String("out", "testdata", "folder to write tms.json and card.json to")
	flag.Parse()
	f, c, err := tms.Generate()
	if err == nil {
		err = write(filepath.Join(*out, "tms.json"), f)
	}
	if err == nil {
		err = write(filepath.Join(*out, "card.json"), c)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gentms:", err)
		os.Exit(1)
	}
}

func write(path string, v any) error {
	b, err := tms.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
