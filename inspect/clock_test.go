package inspect

import (
	"testing"
	"time"
)

// TestClock: an instant is shown in local time with its zone, with
// "tomorrow" or its date when it is not today, whatever the zone's offset
// does to the UTC day.
func TestClock(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skipf("no zone database: %v", err)
	}
	saved := time.Local
	time.Local = tokyo
	t.Cleanup(func() { time.Local = saved })
	// 23:30 in Tokyo, 14:30 UTC.
	now := time.Date(2026, 12, 7, 23, 30, 0, 0, tokyo)
	for _, c := range []struct {
		in   time.Time
		want string
	}{
		{now.Add(20 * time.Minute), "23:50 JST"},
		{now.Add(45 * time.Minute), "00:15 JST tomorrow"},
		{now.Add(24*time.Hour + 29*time.Minute), "23:59 JST tomorrow"},
		{now.Add(24*time.Hour + 30*time.Minute), "2026-12-09 00:00 JST"},
		{now.Add(-time.Hour).UTC(), "22:30 JST"},
		{now.Add(-24 * time.Hour), "2026-12-06 23:30 JST"},
	} {
		if got := Clock(c.in, now.UTC()); got != c.want {
			t.Errorf("Clock(%s) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestLeftCountsWholeSeconds: the time left is counted in whole seconds of
// the Unix clock, as the prompt scripts count it, so Duration rounds it to
// the minute they show.
func TestLeftCountsWholeSeconds(t *testing.T) {
	expires := time.Unix(1_800_000_300, 0)
	for _, now := range []time.Time{time.Unix(1_800_000_000, 0), time.Unix(1_800_000_000, 999_999_999)} {
		if got := Duration(Left(expires, now)); got != "5m" {
			t.Errorf("at %s: %s left, want 5m as the prompt says", now.Format(time.RFC3339Nano), got)
		}
	}
}
