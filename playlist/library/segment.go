// Package library owns the announcements of the content library (segments):
// their metadata, topics and approval lifecycle, stored in bbolt.
//
// It knows nothing of HTTP, of decoding audio or of building playlists: the
// audio analysis arrives as plain values, and the playlist builder reads
// approved segments through the Store. Nothing unapproved is ever returned
// as schedulable.
package library

import (
	"slices"
	"time"
)

// A Segment is one announcement in the library: a recorded (or synthesised)
// audio file with what the office knows about it.
type Segment struct {
	ID          uint64 `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Text        string `json:"text,omitempty"` // what the audio was synthesised from (text-to-speech); empty for recordings
	// Transcript is what a recording says, typed by the editor, for the
	// residents who read rather than hear the public page ("Nghe lại").
	Transcript string `json:"transcript,omitempty"`
	// Public is set by an approver (SetPublic): the bulletin may be heard on
	// the public page and podcast feed while it is approved and no emergency.
	Public    bool    `json:"public,omitempty"`
	Topic     string  `json:"topic"` // a Topic.ID
	Level     Level   `json:"level"`
	ValidFrom Date    `json:"valid_from,omitempty"` // first day it may air; empty: no limit
	ValidTo   Date    `json:"valid_to,omitempty"`   // last day it may air; empty: no limit
	Targets   Targets `json:"targets"`
	Limits    Limits  `json:"limits"`
	Audio     Audio   `json:"audio"`

	Status    Status       `json:"status"`
	History   []Transition `json:"history"`
	CreatedBy string       `json:"created_by"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
	// Revision grows with every change; an edit names the revision it was
	// made from so that two people editing at once cannot overwrite each other.
	Revision int `json:"revision"`
}

// Level is the bulletin level of Circular 39/2020/TT-BTTTT.
type Level string

const (
	LevelOrdinary  Level = "ordinary"  // thông thường: scheduled
	LevelPriority  Level = "priority"  // ưu tiên: ahead of others in its slot
	LevelEmergency Level = "emergency" // khẩn cấp: played at once, never scheduled
)

// Levels lists the levels in their order of precedence, lowest first.
var Levels = []Level{LevelOrdinary, LevelPriority, LevelEmergency}

func (l Level) valid() bool { return slices.Contains(Levels, l) }

// Targets says which stations a segment is for. All wins over the lists.
type Targets struct {
	All      bool     `json:"all"`
	Groups   []string `json:"groups,omitempty"`
	Stations []string `json:"stations,omitempty"`
}

// Includes reports whether a station with the given id and groups is targeted.
func (t Targets) Includes(stationID string, groups []string) bool {
	if t.All || slices.Contains(t.Stations, stationID) {
		return true
	}
	for _, g := range groups {
		if slices.Contains(t.Groups, g) {
			return true
		}
	}
	return false
}

func (t Targets) empty() bool { return !t.All && len(t.Groups) == 0 && len(t.Stations) == 0 }

// Limits are the playing rules the playlist builder honours. Zero means no limit.
type Limits struct {
	MinPerDay  int `json:"min_per_day,omitempty"`
	MinPerWeek int `json:"min_per_week,omitempty"`
	MaxPerDay  int `json:"max_per_day,omitempty"`
}

// Audio is what the server measured about the stored audio file.
type Audio struct {
	SHA256        string   `json:"sha256"`
	Format        string   `json:"format"` // "mp3" or "wav"
	ConvertedFrom string   `json:"converted_from,omitempty"`
	OriginalName  string   `json:"original_name,omitempty"`
	Size          int64    `json:"size"`
	DurationMS    int64    `json:"duration_ms"`
	SampleRate    int      `json:"sample_rate"`
	Channels      int      `json:"channels"`
	BitrateKbps   int      `json:"bitrate_kbps"`
	LoudnessLUFS  *float64 `json:"loudness_lufs"` // nil: digital silence, no loudness
	TruePeakDBTP  float64  `json:"true_peak_dbtp"`
	CueInMS       int64    `json:"cue_in_ms"`
	CueOutMS      int64    `json:"cue_out_ms"`
	Warnings      []Note   `json:"warnings,omitempty"`
	// Analysis is the version of the analysis that measured the file
	// (ingest.AnalysisVersion); older measurements are taken again.
	Analysis int `json:"analysis,omitempty"`
}

// A Note is a warning from the analysis: a stable code, the figure it is
// about, and an English sentence for logs (the UI words it from the code).
type Note struct {
	Code    string  `json:"code"`
	Message string  `json:"message"`
	Value   float64 `json:"value"`
}

// Playable is the stretch of the file worth airing, between cue-in and cue-out.
func (a Audio) Playable() time.Duration {
	end := a.CueOutMS
	if end <= a.CueInMS {
		end = a.DurationMS
	}
	return time.Duration(end-a.CueInMS) * time.Millisecond
}
