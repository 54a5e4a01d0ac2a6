package stations

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"loa/internal/ward"
)

// Validation codes. They are stable: the web layer maps them to Vietnamese
// and English messages.
const (
	CodeStationIDInvalid    = "station.id_invalid"
	CodeStationIDTaken      = "station.id_taken"
	CodeStationNameMissing  = "station.name_required"
	CodeStationNameLong     = "station.name_too_long"
	CodeStationZoneInvalid  = "station.zone_invalid"
	CodeStationLatInvalid   = "station.lat_invalid"
	CodeStationLonInvalid   = "station.lon_invalid"
	CodeStationVolume       = "station.volume_invalid"
	CodeStationGroupUnknown = "station.group_unknown"
	CodeStationGroupsMany   = "station.groups_too_many"
	CodeGroupIDInvalid      = "group.id_invalid"
	CodeGroupIDTaken        = "group.id_taken"
	CodeGroupNameMissing    = "group.name_required"
	CodeGroupNameLong       = "group.name_too_long"
	CodeGroupInUse          = "group.in_use"
)

// Limits on fields.
const (
	MaxSlugLen      = 32
	MaxNameLen      = 100
	MaxGroupsPerSta = 16
	DefaultZone     = ward.ZoneName // a station's zone unless set
	DefaultVolume   = 80
)

// Problem is one invalid field.
type Problem struct {
	Field string `json:"field"`
	Code  string `json:"code"`
}

// ValidationError lists every invalid field of one request.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	codes := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		codes[i] = p.Code
	}
	return "invalid: " + strings.Join(codes, ", ")
}

type problems []Problem

func (p *problems) add(field, code string) { *p = append(*p, Problem{Field: field, Code: code}) }

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Problems: p}
}

// ValidSlug reports whether s is a slug such as "tdp-05": 1–32 lowercase
// ASCII letters, digits and inner hyphens.
func ValidSlug(s string) bool {
	if s == "" || len(s) > MaxSlugLen || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return !strings.Contains(s, "--")
}

func checkName(p *problems, name, missing, long string) {
	switch {
	case strings.TrimSpace(name) == "":
		p.add("name", missing)
	case utf8.RuneCountInString(name) > MaxNameLen || !utf8.ValidString(name):
		p.add("name", long)
	}
}

// validateStation checks every field that needs no storage lookup.
func validateStation(st *Station) problems {
	var p problems
	if !ValidSlug(st.ID) {
		p.add("id", CodeStationIDInvalid)
	}
	checkName(&p, st.Name, CodeStationNameMissing, CodeStationNameLong)
	if _, err := time.LoadLocation(st.Zone); err != nil || st.Zone == "" || st.Zone == "Local" {
		p.add("zone", CodeStationZoneInvalid)
	}
	if l := st.Location; l != nil {
		if !(l.Lat >= -90 && l.Lat <= 90) {
			p.add("lat", CodeStationLatInvalid)
		}
		if !(l.Lon >= -180 && l.Lon <= 180) {
			p.add("lon", CodeStationLonInvalid)
		}
	}
	if st.Volume < 0 || st.Volume > 100 {
		p.add("volume", CodeStationVolume)
	}
	if len(st.Groups) > MaxGroupsPerSta {
		p.add("groups", CodeStationGroupsMany)
	}
	return p
}

// normalize trims text and sorts out defaults before validation.
func normalize(st *Station) {
	st.Name = strings.TrimSpace(st.Name)
	if st.Zone == "" {
		st.Zone = DefaultZone
	}
	seen := map[string]bool{}
	groups := st.Groups[:0:0]
	for _, g := range st.Groups {
		if !seen[g] {
			seen[g] = true
			groups = append(groups, g)
		}
	}
	st.Groups = groups
}

func validateGroup(g *Group) error {
	var p problems
	if !ValidSlug(g.ID) {
		p.add("id", CodeGroupIDInvalid)
	}
	checkName(&p, g.Name, CodeGroupNameMissing, CodeGroupNameLong)
	if err := p.err(); err != nil {
		return fmt.Errorf("group %q: %w", g.ID, err)
	}
	return nil
}
