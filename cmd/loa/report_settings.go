package main

import (
	"fmt"
	"io"

	"loa/internal/app"
)

// warnReportSettings says, at every start until they are set, that the
// printed report lacks the ward's name, the office or the signer (set on
// the Report settings page, /report-settings). A ward given with --ward
// becomes the setting's first value.
func warnReportSettings(a *app.App, ward string, stdout io.Writer) {
	st, err := a.ReportSettings.Get()
	if err != nil {
		a.Log.Warn("read report settings", "err", err)
		return
	}
	if st.Ward == "" && ward != "" {
		st.Ward = ward
		if st, err = a.ReportSettings.Put(st); err != nil {
			a.Log.Warn("store the ward's name in the report settings", "err", err)
		}
	}
	if !st.Complete() {
		fmt.Fprintln(stdout, "Chưa đặt tên phường, phòng ban hoặc người ký cho báo cáo in: vào Báo cáo → Cài đặt báo cáo (/report-settings).\n"+
			"The printed report's ward, office or signer is not set: see Reports → Report settings (/report-settings).")
		a.Log.Warn("report settings incomplete", "ward", st.Ward != "", "signer", st.SignerName != "")
	}
}
