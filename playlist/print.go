package playlist

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"loa/internal/ward"
)

// Print writes a station's day as plain text for operators: the slots in
// local time, each item with its start, length, gain and reason, then what
// was left out and why. Reasons are the stable codes with their figures.
func Print(w io.Writer, pl *Playlist) error {
	loc, err := ward.Location(pl.Zone)
	if err != nil {
		return fmt.Errorf("print playlist: %w", err)
	}
	day, _ := pl.Date.Time(time.UTC)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s) %s  version %d  hash %.12s\n", pl.Station, pl.Date, day.Weekday(), pl.Zone, pl.Version, pl.Hash)
	for _, r := range pl.Slots {
		fmt.Fprintf(&b, "\n%s–%s  %s/%s  %s", clock(r.Start(), loc), clock(r.End(), loc), r.Programme, r.Slot, r.Kind)
		if r.Note != "" {
			fmt.Fprintf(&b, "  [%s]", r.Note)
		}
		b.WriteByte('\n')
		for _, it := range pl.Items {
			if it.Programme == r.Programme && it.Slot == r.Slot {
				printItem(&b, &it, loc)
			}
		}
	}
	if len(pl.Items) == 0 {
		b.WriteString("\n(no items)\n")
	}
	if len(pl.Left) > 0 {
		b.WriteString("\nleft out:\n")
		for _, l := range pl.Left {
			ids := make([]string, len(l.Segments))
			for i, id := range l.Segments {
				ids[i] = "#" + strconv.FormatUint(id, 10)
			}
			why := FormatReason(l.Reason, loc)
			if l.Slot != "" {
				why += " in " + l.Programme + "/" + l.Slot
			}
			fmt.Fprintf(&b, "  %-28s %s\n", why, strings.Join(ids, " "))
		}
	}
	_, err = io.WriteString(w, b.String())
	return err
}

func printItem(b *strings.Builder, it *Item, loc *time.Location) {
	what := "#" + strconv.FormatUint(it.SegmentID, 10)
	if it.Kind == ItemRelay {
		what = it.URL
	}
	level := ""
	if it.Level != "ordinary" {
		level = " [" + string(it.Level) + "]"
	}
	fmt.Fprintf(b, "  %s %6s %+5.1fdB  %-5s %s%s  — %s\n", it.Start().In(loc).Format("15:04:05"),
		length(it.DurationMs), it.GainDB, what, it.Title, level, FormatReason(it.Reason, loc))
}

// FormatReason writes a reason code with its figures, e.g.
// "rotation 3rd this week, 2 aired, last 01/12 06:04".
func FormatReason(r Reason, loc *time.Location) string {
	s := r.Code
	if r.Code == LeftSeparation {
		return s + fmt.Sprintf(" %dmin", r.N)
	}
	if r.Of > 0 {
		s += fmt.Sprintf(" %d/%d", r.N, r.Of)
	} else if r.N > 0 {
		s += fmt.Sprintf(" #%d this week", r.N)
	}
	if r.Aired > 0 {
		s += fmt.Sprintf(", %d aired", r.Aired)
	}
	if r.LastMs != 0 {
		s += ", last " + time.UnixMilli(r.LastMs).In(loc).Format("02/01 15:04")
	}
	return s
}

// PrintShares writes planned against aired shares, one segment a line.
func PrintShares(w io.Writer, shares []Share) error {
	var b strings.Builder
	b.WriteString("segment  planned  share   aired  share  title\n")
	for _, s := range shares {
		fmt.Fprintf(&b, "#%-7d %7d %5.1f%% %7d %5.1f%%  %s\n", s.SegmentID, s.Planned, 100*s.PlannedShare, s.Aired, 100*s.AiredShare, s.Title)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func clock(t time.Time, loc *time.Location) string { return t.In(loc).Format("15:04") }

func length(ms int64) string {
	s := (ms + 500) / 1000
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
