package housestyle

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// selector finds pkg.Name in a package doc's code: a lower-case package
// name, a dot, an exported name.
var selector = regexp.MustCompile(`\b([a-z][a-z0-9]*)\.([A-Z][A-Za-z0-9_]*)`)

// The code in every package doc names only what exists: each pkg.Name of
// a poskit package that a doc's indented code block uses is an exported
// top-level name of that package. (The README's code is run by
// readme_test.go; the packages' Example functions run their common calls.)
func TestPackageDocNames(t *testing.T) {
	root := filepath.Join("..", "..")
	exported := map[string]map[string]bool{} // package name -> exported names
	docs := map[string]string{}              // directory -> package doc
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || rel == "examples" || rel == "cmd" || rel == "internal") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		name := file.Name.Name
		if exported[name] == nil {
			exported[name] = map[string]bool{}
		}
		for _, decl := range file.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					exported[name][d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						exported[name][s.Name.Name] = s.Name.IsExported()
					case *ast.ValueSpec:
						for _, n := range s.Names {
							exported[name][n.Name] = n.IsExported()
						}
					}
				}
			}
		}
		if file.Doc != nil {
			docs[filepath.Dir(rel)] += file.Doc.Text()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for dir, doc := range docs {
		for _, line := range strings.Split(doc, "\n") {
			if !strings.HasPrefix(line, "\t") {
				continue // prose; only code blocks are held to the API
			}
			for _, m := range selector.FindAllStringSubmatch(line, -1) {
				names, ours := exported[m[1]]
				if !ours {
					continue // the standard library, moov, a variable
				}
				checked++
				if !names[m[2]] {
					t.Errorf("%s: package doc uses %s.%s, which package %s does not export", dir, m[1], m[2], m[1])
				}
			}
		}
	}
	if checked < 30 {
		t.Fatalf("checked only %d names in package docs: the walk is broken", checked)
	}
}
