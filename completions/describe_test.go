package completions

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestProfilesDescribed: a profile's description is its account and role,
// from sso_account_id and sso_role_name or from role_arn; static keys and
// an ARN that names no role give none.
func TestProfilesDescribed(t *testing.T) {
	home := t.TempDir()
	writeFiles(t, home, map[string]string{
		".aws/config": `[profile sso]
sso_account_id = 111111111111
sso_role_name = ReadOnly
[profile role]
role_arn = arn:aws:iam::222222222222:role/team/s3-reader
source_profile = sso
[profile gov]
role_arn = arn:aws-us-gov:iam::333333333333:role/Admin
source_profile = sso
[profile user-arn]
role_arn = arn:aws:iam::444444444444:user/alice
source_profile = sso
[profile hostile]
sso_account_id = 555555555555
sso_role_name = Evil` + "\x1b]0;owned\x07" + `
`,
		".aws/credentials": "[static]\naws_access_key_id = AKIAEXAMPLEEXAMPLE00\n",
	})
	getenv := func(k string) string { return map[string]string{"HOME": home}[k] }

	names, about := Profiles(getenv, true)
	if want := []string{"gov", "hostile", "role", "sso", "static", "user-arn"}; !slices.Equal(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
	want := map[string]string{
		"sso":     "111111111111 ReadOnly",
		"role":    "222222222222 s3-reader",
		"gov":     "333333333333 Admin",
		"hostile": "555555555555 Evil\x1b]0;owned\x07",
	}
	for name, w := range want {
		if got := about([]string{name})[0]; got != w {
			t.Errorf("%s is described as %q, want %q", name, got, w)
		}
	}
	for _, name := range []string{"static", "user-arn", "nosuch"} {
		if d := about([]string{name})[0]; d != "" {
			t.Errorf("%s is described as %q, want no description", name, d)
		}
	}
	// All at once, as a full listing asks: the files parsed in full.
	all := append(slices.Clone(names), "nosuch")
	got := about(all)
	for i, name := range all {
		if got[i] != want[name] {
			t.Errorf("asked with every name, %s is described as %q, want %q", name, got[i], want[name])
		}
	}
	if names, about := Profiles(getenv, false); len(names) != 6 || about != nil {
		t.Errorf("without descriptions: %q, and a describer: %v", names, about != nil)
	}
}

// TestWriteDescriptions: fish gets each description after a tab, zsh a
// listing after an empty line, bash none; every description and every
// name shown in zsh's listing passes through untrusted.Text, while the
// answers themselves stay the exact names.
func TestWriteDescriptions(t *testing.T) {
	answers := []string{"requires3", "static", "bell\a"}
	descriptions := map[string]string{"requires3": "123412341234 RoleForS3", "bell\a": "1 Evil\x1b]0;owned\x07"}
	about := func(names []string) []string {
		out := make([]string, len(names))
		for i, name := range names {
			out[i] = descriptions[name]
		}
		return out
	}
	for shell, want := range map[string]string{
		"fish": "requires3\t123412341234 RoleForS3\nstatic\nbell\a\t1 Evil\\e]0;owned\\x07\n",
		"zsh": "requires3\nstatic\nbell\a\n\n" +
			"requires3 -- 123412341234 RoleForS3\n" +
			"static\n" +
			"bell\\x07  -- 1 Evil\\e]0;owned\\x07\n",
		"bash": "requires3\nstatic\nbell$'\\x07'\n",
		"":     "requires3\nstatic\nbell\a\n",
	} {
		env := map[string]string{"COMP_LINE": "hop exec ", "HOP_COMPLETE": shell}
		r, _ := ReadRequest(func(k string) string { return env[k] }, []string{"hop", "", "exec"})
		var out bytes.Buffer
		if err := r.Write(&out, answers, about); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Errorf("HOP_COMPLETE=%q writes\n%q\nwant\n%q", shell, out.String(), want)
		}
	}
	// Nothing described: zsh gets the answers alone, to list in columns.
	env := map[string]string{"COMP_LINE": "hop init ", "HOP_COMPLETE": "zsh"}
	r, _ := ReadRequest(func(k string) string { return env[k] }, nil)
	var out bytes.Buffer
	if err := r.Write(&out, []string{"bash", "zsh"}, nil); err != nil || out.String() != "bash\nzsh\n" {
		t.Errorf("zsh without descriptions: %q, %v", out.String(), err)
	}
}

// TestRegions: the static list, plus any region the config names.
func TestRegions(t *testing.T) {
	home := t.TempDir()
	writeFiles(t, home, map[string]string{
		".aws/config": "[profile a]\nregion = xx-local-1\n[sso-session corp]\nsso_region = xx-sso-2\n[profile b]\nregion = eu-west-1\n",
	})
	got := Regions(func(k string) string { return map[string]string{"HOME": home}[k] })
	for _, want := range []string{"us-east-1", "us-gov-west-1", "cn-north-1", "eu-west-1", "xx-local-1", "xx-sso-2"} {
		if !slices.Contains(got, want) {
			t.Errorf("Regions lacks %q: %q", want, got)
		}
	}
	if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Errorf("Regions is not sorted and unique: %q", got)
	}
}

func writeFiles(t *testing.T, home string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(home, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestZshListingPadsToAWidth: names are padded for the descriptions to
// line up, but not past maxPadding, so one huge name cannot make every
// line huge.
func TestZshListingPadsToAWidth(t *testing.T) {
	long := strings.Repeat("n", 1<<20)
	answers := []string{"short", long}
	about := func(names []string) []string { return []string{"1 A", "2 B"} }
	env := map[string]string{"COMP_LINE": "hop exec ", "HOP_COMPLETE": "zsh"}
	r, _ := ReadRequest(func(k string) string { return env[k] }, []string{"hop", "", "exec"})
	var out bytes.Buffer
	if err := r.Write(&out, answers, about); err != nil {
		t.Fatal(err)
	}
	want := "short\n" + long + "\n\n" + "short" + strings.Repeat(" ", maxPadding-len("short")) + " -- 1 A\n" + long + " -- 2 B\n"
	if out.String() != want {
		t.Errorf("zsh's listing is %d bytes, want %d", out.Len(), len(want))
	}
}
