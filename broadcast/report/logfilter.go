package report

import (
	"net/url"
)

// StatusOnAir picks, in a LogFilter, every status that went on air
// (aired, late, partial, interrupted): the rows behind a "plays" figure.
const StatusOnAir = "on_air"

// A LogFilter picks rows of the aired log (Nhật ký phát sóng): the rows
// behind a figure of the report, or what a person filters the log by.
// Empty fields pick everything.
type LogFilter struct {
	Period  Period
	Station string
	Group   string
	Topic   string
	Segment string
	Status  string // a reconciliation status, or StatusOnAir
}

func (f LogFilter) on() LogFilter         { f.Status = StatusOnAir; return f }
func (f LogFilter) is(s string) LogFilter { f.Status = s; return f }

// Values writes the filter as query parameters of the aired-log page:
// period, station, group, topic, item, status.
func (f LogFilter) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.Period.From != "" {
		set("period", f.Period.Code())
	}
	set("station", f.Station)
	set("group", f.Group)
	set("topic", f.Topic)
	set("item", f.Segment)
	set("status", f.Status)
	return v
}
