package inspect

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{45 * time.Second, "45s"},
		{52*time.Minute + 10*time.Second, "52m"},
		{time.Hour + 5*time.Minute, "1h05m"},
		{47 * time.Hour, "47h00m"},
		{50 * time.Hour, "2d2h"},
	}
	for _, tt := range tests {
		if got := Duration(tt.d); got != tt.want {
			t.Errorf("Duration(%s) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestLeftSaysExpired(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	c := Cache{Now: now}
	if got := c.left(now.Add(-time.Second)); got != "expired" {
		t.Errorf("left(past) = %q", got)
	}
	if got := c.left(now.Add(90 * time.Second)); got != "1m" {
		t.Errorf("left(90s) = %q", got)
	}
}
