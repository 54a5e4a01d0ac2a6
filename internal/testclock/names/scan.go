package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
)

// clockedTests finds, by package directory under root, the Test functions
// that call testclock.Now or Ticking directly or through a function of
// their package (one call away).
func clockedTests(root string) (map[string][]string, error) {
	funcs := map[string]map[string]*ast.FuncDecl{} // dir → name → func
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != root || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		dir := filepath.Dir(path)
		if funcs[dir] == nil {
			funcs[dir] = map[string]*ast.FuncDecl{}
		}
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Body != nil {
				funcs[dir][fn.Name.Name] = fn
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for dir, byName := range funcs {
		reads := map[string]bool{}
		for name, fn := range byName {
			reads[name] = callsClock(fn)
		}
		for name, fn := range byName {
			if !strings.HasPrefix(name, "Test") {
				continue
			}
			if reads[name] || slices.ContainsFunc(calledNames(fn), func(n string) bool { return reads[n] }) {
				out[dir] = append(out[dir], name)
			}
		}
		slices.Sort(out[dir])
	}
	return out, nil
}

// callsClock reports whether fn calls testclock.Now or testclock.Ticking.
func callsClock(fn *ast.FuncDecl) bool {
	found := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "testclock" && (sel.Sel.Name == "Now" || sel.Sel.Name == "Ticking") {
				found = true
			}
		}
		return !found
	})
	return found
}

// calledNames lists the plain function names fn calls.
func calledNames(fn *ast.FuncDecl) []string {
	var names []string
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok {
				names = append(names, id.Name)
			}
		}
		return true
	})
	return names
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
