package ward

import (
	"testing"
	"time"
)

// A zone is loaded once and is then the same location; a name that does
// not load is an error every time, never a cached UTC.
func TestLocationIsRemembered(t *testing.T) {
	a, err := Location(ZoneName)
	if err != nil {
		t.Skipf("no zone database: %v", err)
	}
	b, err := Location(ZoneName)
	if err != nil || a != b {
		t.Fatalf("second load: %p %v, first %p", b, err, a)
	}
	at := time.Date(2026, 12, 7, 23, 30, 0, 0, time.UTC)
	if got := at.In(a).Format("02/01/2006 15:04"); got != "08/12/2026 06:30" {
		t.Errorf("23:30 UTC in the ward: %s", got)
	}
	for range 2 {
		if loc, err := Location("Asia/Nowhere"); err == nil {
			t.Fatalf("an unknown zone loaded: %v", loc)
		}
	}
	if Zone() != a {
		t.Error("the ward's zone is not the remembered location")
	}
}

func BenchmarkLocation(b *testing.B) {
	b.Run("time.LoadLocation", func(b *testing.B) {
		for range b.N {
			if _, err := time.LoadLocation(ZoneName); err != nil {
				b.Skip(err)
			}
		}
	})
	b.Run("ward.Location", func(b *testing.B) {
		for range b.N {
			if _, err := Location(ZoneName); err != nil {
				b.Skip(err)
			}
		}
	})
}
