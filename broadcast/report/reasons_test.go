package report

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEveryAgentReasonHasWords reads the agent's Reason constants from its
// source, so a code added there without words here fails this test rather
// than reaching the office as a bare code.
func TestEveryAgentReasonHasWords(t *testing.T) {
	t.Parallel()
	codes := agentReasons(t)
	if len(codes) < 9 {
		t.Fatalf("found %d Reason constants in broadcast/agent: %v", len(codes), codes)
	}
	for name, code := range codes {
		vi, en := reasonText("vi", code), reasonText("en", code)
		if vi == code || en == code || vi == en || vi == "" || en == "" {
			t.Errorf("agent.%s = %q has no words (add them to broadcast/report/reasons.go): vi %q, en %q", name, code, vi, en)
		}
	}
	if len(reasons) != len(codes) {
		t.Errorf("%d reasons worded, the agent has %d codes: a code was renamed or removed", len(reasons), len(codes))
	}
}

func TestAnUnknownReasonIsShownAsItIs(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"disk_full", "mất điện", ""} {
		if vi, en := reasonText("vi", code), reasonText("en", code); vi != code || en != code {
			t.Errorf("%q: vi %q, en %q", code, vi, en)
		}
	}
	row := ProblemRow{Reason: "audio_missing"}
	if got := row.ReasonIn("vi"); got != "Trạm không có tệp âm thanh của bản tin" {
		t.Errorf("audio_missing in Vietnamese: %q", got)
	}
	if got := (Line{Reason: "late"}).ReasonIn("en"); got != "The station was still playing the previous item at the planned time" {
		t.Errorf("late in English: %q", got)
	}
}

// agentReasons returns the string constants named Reason… of package
// broadcast/agent, by name.
func agentReasons(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "agent", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("agent sources: %v %v", files, err)
	}
	codes := map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, id := range vs.Names {
					if lit, ok := valueAt(vs, i).(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.HasPrefix(id.Name, "Reason") {
						codes[id.Name], _ = strconv.Unquote(lit.Value)
					}
				}
			}
		}
	}
	return codes
}

func valueAt(vs *ast.ValueSpec, i int) ast.Expr {
	if i < len(vs.Values) {
		return vs.Values[i]
	}
	return nil
}
