package exec

import (
	"strings"
	"testing"
)

func TestWarnSwitch(t *testing.T) {
	for _, c := range []struct {
		env     map[string]string
		profile string
		want    string
	}{
		{map[string]string{}, "dev", ""},
		{map[string]string{"HOP_PROFILE": "dev"}, "dev", ""},
		{map[string]string{"HOP_PROFILE": "dev"}, "prod", "hop: inside profile dev's hop exec: the command gets profile prod's credentials instead\n"},
		{map[string]string{"AWS_VAULT": "old"}, "prod", "hop: inside profile old's aws-vault exec: the command gets profile prod's credentials instead\n"},
		{map[string]string{"AWS_VAULT": "prod"}, "prod", ""},
		{map[string]string{"HOP_PROFILE": "a\x1b[2Jb"}, "prod", "hop: inside profile a\\e[2Jb's hop exec: the command gets profile prod's credentials instead\n"},
	} {
		var b strings.Builder
		WarnSwitch(&b, func(k string) string { return c.env[k] }, c.profile)
		if b.String() != c.want {
			t.Errorf("%v, %s: %q, want %q", c.env, c.profile, b.String(), c.want)
		}
	}
}
