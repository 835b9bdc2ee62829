// Package housestyle holds tests of the house rules that span every
// package of the module: it has no code of its own.
package housestyle

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// libraryPackages walks the module's library packages (not examples/, not
// cmd/, not testdata) and calls f for every non-test file with the import
// path suffix ("emv/qr") and the parsed file.
func libraryPackages(t *testing.T, f func(dir string, file *ast.File, fset *token.FileSet)) {
	t.Helper()
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			switch {
			case rel == ".":
				return nil
			case strings.HasPrefix(d.Name(), "."), d.Name() == "testdata", rel == "examples", rel == "cmd", rel == "scripts", rel == "docs":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if file.Name.Name == "main" {
			return nil // generators under internal/.../gen*
		}
		f(filepath.ToSlash(filepath.Dir(rel)), file, fset)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Every sentinel error of a library package reads "pkg: what": the
// package's own name once, at the start, and nowhere else.
func TestSentinelPrefix(t *testing.T) {
	n := 0
	libraryPackages(t, func(dir string, file *ast.File, fset *token.FileSet) {
		prefix := file.Name.Name + ": "
		ast.Inspect(file, func(node ast.Node) bool {
			vs, ok := node.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, name := range vs.Names {
				if !strings.HasPrefix(name.Name, "Err") || !name.IsExported() || i >= len(vs.Values) {
					continue
				}
				msg, ok := errorsNew(vs.Values[i])
				if !ok {
					continue
				}
				n++
				pos := fset.Position(name.Pos())
				if !strings.HasPrefix(msg, prefix) || strings.Count(msg, prefix) != 1 {
					t.Errorf("%s: %s = %q: want the prefix %q once, at the start", pos, name.Name, msg, prefix)
				}
			}
			return true
		})
	})
	if n < 50 {
		t.Fatalf("found only %d sentinels: the walk is broken", n)
	}
}

// Wrapping follows one form, fmt.Errorf("%w: detail", ErrX): the sentinel
// first, so that the package prefix leads and appears once. An error from
// elsewhere (io, moov, a callee) is wrapped behind the package's own prefix
// ("pkg: what: %w") or behind a sentinel; text of ours before a %w that is
// not led by the prefix would put the detail before the package.
func TestWrapForm(t *testing.T) {
	libraryPackages(t, func(dir string, file *ast.File, fset *token.FileSet) {
		prefix := file.Name.Name + ": "
		ast.Inspect(file, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok || !isSel(call.Fun, "fmt", "Errorf") || len(call.Args) == 0 {
				return true
			}
			format, ok := stringLit(call.Args[0])
			if !ok || !strings.Contains(format, "%w") || strings.HasPrefix(format, "%w") {
				return true
			}
			pos := fset.Position(call.Pos())
			if wrapsSentinel(format, call.Args[1:]) {
				t.Errorf("%s: fmt.Errorf(%q, ...) wraps a sentinel: it must come first", pos, format)
			} else if !strings.HasPrefix(format, prefix) {
				t.Errorf("%s: fmt.Errorf(%q, ...): lead with %q or a sentinel", pos, format, prefix)
			}
			return true
		})
	})
}

// wrapsSentinel reports whether an argument matched to a %w verb is a
// sentinel error (ErrX or pkg.ErrX).
func wrapsSentinel(format string, args []ast.Expr) bool {
	i := 0
	for j := 0; j < len(format)-1; j++ {
		if format[j] != '%' {
			continue
		}
		j++
		for j < len(format) && strings.IndexByte("+-# 0123456789.*", format[j]) >= 0 {
			j++
		}
		if j >= len(format) || format[j] == '%' {
			continue
		}
		if format[j] == 'w' && i < len(args) && isSentinel(args[i]) {
			return true
		}
		i++
	}
	return false
}

func isSentinel(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return strings.HasPrefix(x.Name, "Err") || strings.HasPrefix(x.Name, "err") && len(x.Name) > 3 && x.Name[3] >= 'A' && x.Name[3] <= 'Z'
	case *ast.SelectorExpr:
		return strings.HasPrefix(x.Sel.Name, "Err")
	}
	return false
}

func errorsNew(e ast.Expr) (string, bool) {
	call, ok := e.(*ast.CallExpr)
	if !ok || !isSel(call.Fun, "errors", "New") || len(call.Args) != 1 {
		return "", false
	}
	return stringLit(call.Args[0])
}

func isSel(e ast.Expr, pkg, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// No function runs over 80 lines, outside generated code and func main,
// unless its doc comment says why ("Long because ...").
func TestFunctionLength(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if ast.IsGenerated(file) {
			return nil
		}
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil || (fd.Name.Name == "main" && fd.Recv == nil) {
				continue
			}
			n++
			lines := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1
			if lines > 80 && !strings.Contains(fd.Doc.Text(), "Long because") {
				t.Errorf("%s: %s is %d lines; split it or say why in its doc (\"Long because ...\")", fset.Position(fd.Pos()), fd.Name.Name, lines)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 1000 {
		t.Fatalf("found only %d functions: the walk is broken", n)
	}
}
