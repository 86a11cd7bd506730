package config

import (
	"fmt"
	"strings"
	"testing"
)

func TestNearest(t *testing.T) {
	cfg := &Config{}
	for _, name := range []string{"example", "requires3", "prod-admin", "prod-readonly", "a", "Dev"} {
		cfg.order = append(cfg.order, &Profile{Name: name})
	}
	for _, c := range []struct{ name, want string }{
		{"requres3", "requires3"},  // a letter left out
		{"reqiures3", "requires3"}, // two letters swapped
		{"requires", "requires3"},
		{"exampel", "example"},
		{"dev", "Dev"},
		{"prod-admn", "prod-admin"},
		{"prod", ""},
		{"b", ""}, // one edit away from "a", but that is all of it
		{"zzzzzzzz", ""},
	} {
		if got := cfg.Nearest(c.name); got != c.want {
			t.Errorf("Nearest(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestResolveSuggests(t *testing.T) {
	cfg := &Config{profiles: map[string]*Profile{}}
	for i := range 10000 {
		name := fmt.Sprintf("account-%05d.admin", i)
		cfg.profiles[name] = &Profile{Name: name, Settings: Section{{Key: "aws_access_key_id", Value: "x"}, {Key: "aws_secret_access_key", Value: "y"}}}
		cfg.order = append(cfg.order, cfg.profiles[name])
	}
	_, err := Resolve(cfg, "account-01234.admni")
	if err == nil || !strings.Contains(err.Error(), "did you mean account-01234.admin?") {
		t.Errorf("Resolve: %v", err)
	}
	_, err = Resolve(cfg, "nothing-like-it")
	if err == nil || !strings.Contains(err.Error(), "run 'hop list'") {
		t.Errorf("Resolve: %v", err)
	}
}
