// Package iso4217 is the one ISO 4217 currency table of the module: fees
// prices in it, receipt prints amounts with its minor units and emv
// describes amounts (5F2A, 9F1A) with it.
//
// The table is generated from ISO 4217 list one as published by SIX Group:
//
//	go generate ./internal/iso4217
package iso4217

//go:generate go run ./gen4217 -csv testdata/iso4217-list-one-2024-06-25.csv -date 2024-06-25 -o table.go

// Info is one row of the table.
type Info struct {
	Alpha   string // alphabetic code, "CNY"
	Numeric uint16 // numeric code, 156
	Minor   int8   // minor-unit digits; -1 where the list gives none ("N.A.")
	Fund    bool   // ISO 4217 marks the code as a fund (BOV, CLF ...)
	Name    string // English name, "Yuan Renminbi"
}

// The indexes are built during variable initialisation (not in init) so
// that package-level variables of other packages can use them.
var byAlpha, byNumeric = buildIndex()

func buildIndex() (map[string]*Info, map[uint16]*Info) {
	a := make(map[string]*Info, len(table))
	n := make(map[uint16]*Info, len(table))
	for i := range table {
		c := &table[i]
		a[c.Alpha] = c
		n[c.Numeric] = c
	}
	return a, n
}

// ByAlpha returns the row of an upper-case alphabetic code, or nil. The
// row is shared: callers must not modify it.
func ByAlpha(code string) *Info { return byAlpha[code] }

// ByNumeric returns the row of a numeric code (156 for CNY), or nil. The
// row is shared: callers must not modify it.
func ByNumeric(n int) *Info {
	if n <= 0 || n > 999 {
		return nil
	}
	return byNumeric[uint16(n)]
}

// All returns the rows in the order of the source list. The slice is a
// fresh copy of the pointers; the rows are shared.
func All() []*Info {
	out := make([]*Info, len(table))
	for i := range table {
		out[i] = &table[i]
	}
	return out
}
