package iso8583

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Every sentinel reads "iso8583: what", and every fmt.Errorf that wraps
// puts the wrapped error first ("%w: detail"), so the package prefix
// appears once and before any detail.
func TestErrorFormat(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	sentinels := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, _ := strconv.Unquote(lit.Value)
			pos := fset.Position(lit.Pos())
			switch {
			case pkg.Name == "errors" && sel.Sel.Name == "New":
				sentinels++
				if !strings.HasPrefix(s, "iso8583: ") || strings.Count(s, "iso8583") != 1 {
					t.Errorf("%s: sentinel %q", pos, s)
				}
			case pkg.Name == "fmt" && sel.Sel.Name == "Errorf":
				if strings.Contains(s, "%w") && !strings.HasPrefix(s, "%w") {
					t.Errorf("%s: %q wraps after a detail", pos, s)
				}
				if strings.Contains(s, "iso8583") {
					t.Errorf("%s: %q repeats the prefix", pos, s)
				}
			}
			return true
		})
	}
	if sentinels < 20 {
		t.Errorf("found %d sentinels", sentinels)
	}
}
