package layout

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// ours is the module's path: imports under it are "ours".
const ours = "loa"

// pkg is what the rules need of one package, as go list -json tells it.
type pkg struct {
	ImportPath string
	Dir        string
	Imports    []string
	Deps       []string
}

// rules are the directives that hold for one package, its own and its
// ancestors' (each list nil when no directive says it).
type rules struct {
	imports, forbid, deps []string
	hasImports, hasDeps   bool
}

func TestImportRules(t *testing.T) {
	root, pkgs := listPackages(t)
	checked := 0
	for _, p := range pkgs {
		r, err := rulesFor(root, p.Dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range r.check(p) {
			t.Error(v)
		}
		if r.hasImports || r.hasDeps || len(r.forbid) > 0 {
			checked++
		}
	}
	if checked < 10 {
		t.Fatalf("only %d packages have rules: the directives were not found", checked)
	}
}

// A rule the tree breaks is reported, naming the package, the import and
// the rule; one it keeps is not.
func TestRulesCatchForbiddenImports(t *testing.T) {
	r := rules{imports: []string{"loa/audio/..."}, hasImports: true, forbid: []string{"net/http", "loa/web/..."}}
	p := pkg{ImportPath: "loa/audio/tts", Imports: []string{"fmt", "loa/audio", "loa/web/page", "net/http", "loa/stations"}}
	got := r.check(p)
	want := []string{
		"loa/audio/tts imports loa/web/page: forbidden (//loa:forbid loa/web/...)",
		"loa/audio/tts imports loa/web/page: not among //loa:imports loa/audio/...",
		"loa/audio/tts imports net/http: forbidden (//loa:forbid net/http)",
		"loa/audio/tts imports loa/stations: not among //loa:imports loa/audio/...",
	}
	if !slices.Equal(got, want) {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	agent := rules{deps: []string{"loa/broadcast/agent", "loa/broadcast/protocol"}, hasDeps: true}
	got = agent.check(pkg{ImportPath: "loa/cmd/loa-agent", Deps: []string{"bufio", "loa/broadcast/agent", "loa/broadcast/hub", "loa/broadcast/protocol"}})
	if want := []string{"loa/cmd/loa-agent links loa/broadcast/hub: not among //loa:deps loa/broadcast/agent loa/broadcast/protocol"}; !slices.Equal(got, want) {
		t.Errorf("deps violations: %q", got)
	}
	if got := r.check(pkg{ImportPath: "loa/audio", Imports: []string{"os", "loa/audio/internal/mp3"}}); len(got) != 0 {
		t.Errorf("allowed imports reported: %q", got)
	}
}

func TestDirectivesAreRead(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "doc.go"), []byte("// Package x is a test.\n//\n//loa:imports loa/a/... loa/b\n//loa:forbid net/http\npackage x\n"), 0o644)
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "doc.go"), []byte("// Package sub.\n//\n//loa:forbid loa/c\npackage sub\n"), 0o644)
	r, err := rulesFor(dir, sub)
	if err != nil {
		t.Fatal(err)
	}
	if !r.hasImports || !slices.Equal(r.imports, []string{"loa/a/...", "loa/b"}) || !slices.Equal(r.forbid, []string{"loa/c", "net/http"}) {
		t.Errorf("rules of sub: %+v", r)
	}
}

// listPackages lists every package of the module with its imports and
// dependencies (not its tests').
func listPackages(t *testing.T) (root string, pkgs []pkg) {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	root = strings.TrimSpace(string(out))
	cmd := exec.Command("go", "list", "-json=ImportPath,Dir,Imports,Deps", "./...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err = cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return root, pkgs
}

// rulesFor gathers the directives of the doc.go files from root down to
// dir.
func rulesFor(root, dir string) (rules, error) {
	var r rules
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return r, err
	}
	d := root
	for _, part := range append([]string{"."}, strings.Split(filepath.ToSlash(rel), "/")...) {
		d = filepath.Join(d, part)
		if err := r.read(filepath.Join(d, "doc.go")); err != nil {
			return r, err
		}
	}
	slices.Sort(r.forbid)
	return r, nil
}

// read adds the directives of one doc.go (none if it does not exist). The
// nearest //loa:imports or //loa:deps wins; forbids add up.
func (r *rules) read(file string) error {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments|parser.PackageClauseOnly)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, g := range f.Comments {
		for _, c := range g.List {
			directive, ok := strings.CutPrefix(c.Text, "//loa:")
			if !ok {
				continue
			}
			name, args, _ := strings.Cut(directive, " ")
			patterns := strings.Fields(args)
			switch name {
			case "imports":
				r.imports, r.hasImports = patterns, true
			case "deps":
				r.deps, r.hasDeps = patterns, true
			case "forbid":
				r.forbid = append(r.forbid, patterns...)
			default:
				return fmt.Errorf("%s: unknown directive %s", file, c.Text)
			}
		}
	}
	return nil
}

// check lists the imports of p the rules forbid.
func (r rules) check(p pkg) []string {
	var out []string
	for _, imp := range p.Imports {
		if pat, ok := matchAny(r.forbid, imp); ok {
			out = append(out, fmt.Sprintf("%s imports %s: forbidden (//loa:forbid %s)", p.ImportPath, imp, pat))
		}
		if r.hasImports && isOurs(imp) {
			if _, ok := matchAny(r.imports, imp); !ok {
				out = append(out, fmt.Sprintf("%s imports %s: not among //loa:imports %s", p.ImportPath, imp, strings.Join(r.imports, " ")))
			}
		}
	}
	if r.hasDeps {
		for _, dep := range p.Deps {
			if _, ok := matchAny(r.deps, dep); isOurs(dep) && !ok {
				out = append(out, fmt.Sprintf("%s links %s: not among //loa:deps %s", p.ImportPath, dep, strings.Join(r.deps, " ")))
			}
		}
	}
	return out
}

func isOurs(path string) bool { return path == ours || strings.HasPrefix(path, ours+"/") }

// matchAny returns the first pattern path matches.
func matchAny(patterns []string, path string) (string, bool) {
	for _, pat := range patterns {
		if base, tree := strings.CutSuffix(pat, "/..."); tree && (path == base || strings.HasPrefix(path, base+"/")) || pat == path {
			return pat, true
		}
	}
	return "", false
}
