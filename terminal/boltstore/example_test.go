package boltstore_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/poskit/poskit/terminal"
	"github.com/poskit/poskit/terminal/boltstore"
)

// A store survives its process: what Apply wrote is there after a
// reopen. A POS uses it through terminal.Config.Store.
func Example() {
	dir, _ := os.MkdirTemp("", "boltstore")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "terminal.db")

	s, err := boltstore.Open(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = s.Apply(terminal.Op{Bucket: terminal.BucketState, Key: "batch", Value: []byte("000024")})
	_ = s.Close()

	s, _ = boltstore.Open(path)
	defer s.Close()
	v, ok, err := s.Get(terminal.BucketState, "batch")
	fmt.Println(string(v), ok, err)
	// Output: 000024 true <nil>
}
