package export

import (
	"testing"
)

func TestCommandLineQuotes(t *testing.T) {
	for _, tt := range []struct{ shell, profile, want string }{
		{"bash", "requires3", "hop renew --shell bash requires3"},
		{"bash", "it's $(x)", `hop renew --shell bash 'it'\''s $(x)'`},
		{"fish", `a\b'c`, `hop renew --shell fish 'a\\b\'c'`},
	} {
		if got := CommandLine(tt.shell, "hop", "renew", "--shell", tt.shell, tt.profile); got != tt.want {
			t.Errorf("%s %q: %s, want %s", tt.shell, tt.profile, got, tt.want)
		}
	}
}
