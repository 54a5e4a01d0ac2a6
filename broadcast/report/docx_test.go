package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDOCXIsAWordDocument: the package's parts are well-formed XML, the
// body holds the administrative form, real tables and the chart images;
// LibreOffice (a real consumer, installed by .ci/test.sh) converts it to
// PDF and to text, and the text carries the form.
func TestDOCXIsAWordDocument(t *testing.T) {
	t.Parallel()
	buf, parts := docxParts(t, q3Report(t))
	for name, b := range parts {
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
			if err := xml.Unmarshal([]byte(b), new(struct{})); err != nil {
				t.Errorf("%s is not well-formed XML: %v", name, err)
			}
		}
	}
	doc := parts["word/document.xml"]
	for _, want := range []string{"UBND PHƯỜNG AN PHÚ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"An Phú, ngày 05 tháng 10 năm 2026", "quý III năm 2026", "Trong quý III năm 2026, hệ thống truyền thanh cơ sở đã phát 27 lượt",
		"Nơi nhận:", "TRƯỞNG PHÒNG", "Nguyễn Thị Lan", `<w:tblHeader/>`, `w:w="11906"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %q", want)
		}
	}
	if n := strings.Count(doc, "<w:tbl>"); n < 10 {
		t.Errorf("%d tables", n)
	}
	if _, ok := parts["word/media/chart1.png"]; !ok || !strings.Contains(doc, `r:embed="rImg1"`) {
		t.Error("no chart image")
	}

	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice is not installed (bash .ci/test.sh installs it)")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "bao-cao.docx")
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{"pdf", "txt:Text"} {
		cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "lo"), "--convert-to", to, "--outdir", dir, in)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice --convert-to %s: %v\n%s", to, err, out)
		}
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "bao-cao.pdf"))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) || len(pdf) < 10_000 {
		t.Errorf("LibreOffice made no PDF (%d bytes, %v)", len(pdf), err)
	}
	text, err := os.ReadFile(filepath.Join(dir, "bao-cao.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "Tổ dân phố 1", "Nguyễn Thị Lan"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("LibreOffice reads no %q", want)
		}
	}
}

// TestDOCXChartsAreLabelled: each bar chart carries the page's SVG, with
// its labels, beside the PNG for readers without SVG (Word 2016 and later
// show the SVG); the chart by area is there; the heat map is a table of
// shaded cells, each station named and each week's completion written,
// that LibreOffice reads back.
func TestDOCXChartsAreLabelled(t *testing.T) {
	t.Parallel()
	r := q3Report(t)
	buf, parts := docxParts(t, r)
	if len(r.Groups) == 0 || len(r.Heat) == 0 || len(r.Weeks) == 0 {
		t.Fatalf("the fixture has %d groups, %d heat rows, %d weeks", len(r.Groups), len(r.Heat), len(r.Weeks))
	}
	for i, want := range []string{r.Weeks[0].Name, clip(r.Topics[0].Name, 42), clip(r.Groups[0].Name, 42)} {
		svg := parts[fmt.Sprintf("word/media/chart%d.svg", i+1)]
		if !strings.Contains(svg, ">"+esc(want)+"<") || strings.Contains(svg, `width="100%"`) {
			t.Errorf("chart %d's SVG lacks the label %q (or has no size)", i+1, want)
		}
		if xml.Unmarshal([]byte(svg), new(struct{})) != nil {
			t.Errorf("chart %d's SVG is not well-formed", i+1)
		}
	}
	doc := parts["word/document.xml"]
	if n := strings.Count(doc, "asvg:svgBlip"); n != 3 {
		t.Errorf("%d charts with an SVG, want 3 (weeks, topics, areas)", n)
	}
	first := r.Heat[0]
	cell := percentText(first.Compliance[0], "vi")
	if first.Compliance[0] < 0 {
		cell = "—"
	}
	if !strings.Contains(doc, `w:fill="`+strings.TrimPrefix(heatColour(first.Compliance[0]), "#")+`"/></w:tcPr>`+paraXML(cell, pCenter, rSize(14))) {
		t.Errorf("the heat map's first cell is not %s on %s", cell, heatColour(first.Compliance[0]))
	}
	text := libreOfficeText(t, buf.Bytes())
	if text == "" {
		return
	}
	for _, want := range []string{"Tỷ lệ thực hiện theo trạm và tuần", first.Name, cell} {
		if !strings.Contains(text, want) {
			t.Errorf("LibreOffice reads no %q", want)
		}
	}
}

// libreOfficeText is the text LibreOffice reads in a .docx ("" when it is
// not installed).
func libreOfficeText(t *testing.T, docx []byte) string {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Log("LibreOffice is not installed (bash .ci/test.sh installs it)")
		return ""
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "bao-cao.docx")
	if err := os.WriteFile(in, docx, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "lo"), "--convert-to", "txt:Text", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to txt: %v\n%s", err, out)
	}
	text, err := os.ReadFile(filepath.Join(dir, "bao-cao.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

// docxParts writes r as .docx and returns the file and its parts by name.
func docxParts(t *testing.T, r *Report) (*bytes.Buffer, map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteDOCX(&buf, r); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(b)
	}
	return &buf, parts
}
