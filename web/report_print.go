package web

// ReportPrintCSS is the printed report's stylesheet (static/report-print.css,
// which the server serves), for a report written to a file that opens with
// no server (loa report --format html).
func ReportPrintCSS() string {
	css, err := staticFS.ReadFile("static/report-print.css")
	if err != nil {
		panic(err) // embedded with the package
	}
	return string(css)
}
