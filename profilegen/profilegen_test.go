package profilegen

import (
	"strings"
	"testing"
)

func TestName(t *testing.T) {
	for _, c := range []struct {
		tmpl string
		a    Assignment
		want string
	}{
		{DefaultTemplate, Assignment{"111111111111", "Prod", "AdministratorAccess"}, "prod.administratoraccess"},
		{"{account_name}/{role_name}", Assignment{"111111111111", "Team Alpha (EU)", "ReadOnly"}, "team-alpha-eu/readonly"},
		{DefaultTemplate, Assignment{"111111111111", "-rf ; rm", "Admin"}, "rf-rm.admin"},
		{DefaultTemplate, Assignment{"111111111111", "a]b[c#d;e", "R"}, "a-b-c-d-e.r"},
		{DefaultTemplate, Assignment{"111111111111", "Ünïcode", "R"}, "n-code.r"},
		{"{account_id}-{role_name}", Assignment{"111111111111", "x", "R"}, "111111111111-r"},
		{"{account_name}", Assignment{"111111111111", "$()", "R"}, ""},
	} {
		if got := Name(c.tmpl, c.a); got != c.want {
			t.Errorf("Name(%q, %+v) = %q, want %q", c.tmpl, c.a, got, c.want)
		}
	}
}

func TestPlanRefusesWhatWouldBreakTheFile(t *testing.T) {
	as := []Assignment{
		{"111111111111", "ok", "Admin"},
		{"111111111111", "ok", "Admin\n[profile evil]\ncredential_process = sh"},
		{"11111111111x", "ok", "Admin"},
		{"222222222222", "ok", "Admin"}, // same name as the first
	}
	profiles, notes, err := Plan(as, Options{Session: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if len(profiles) != 1 || profiles[0].Name != "ok.admin" || profiles[0].AccountID != "111111111111" {
		t.Errorf("profiles %+v, want only the first", profiles)
	}
	if len(notes) != 3 {
		t.Errorf("notes %q, want three", notes)
	}
	if _, _, err := Plan(as, Options{Template: "{nope}"}); err == nil {
		t.Error("an unknown placeholder was accepted")
	}
}

func TestSplice(t *testing.T) {
	o := Options{Session: "corp", Region: "us-east-1"}
	block := Block(o, []Profile{{Name: "a.b", Assignment: Assignment{"111111111111", "a", "B"}}})
	for _, c := range []struct{ name, text, want string }{
		{"empty file", "", block},
		{"no newline at the end", "[default]\r\nregion = x", "[default]\r\nregion = x\n\n" + block},
		{"newline at the end", "[default]\n", "[default]\n\n" + block},
		{"in place", "x\n" + beginMarker("corp") + "\nold\n" + endMarker("corp") + "\ny\r\n", "x\n" + block + "y\r\n"},
		{"in place, indented markers", "  " + beginMarker("corp") + "  \nold\n\t" + endMarker("corp") + "\r\ny", block + "y"},
		{"another session's block", beginMarker("other") + "\n" + endMarker("other") + "\n", beginMarker("other") + "\n" + endMarker("other") + "\n\n" + block},
	} {
		got, err := Splice(c.text, "corp", block)
		if err != nil || got != c.want {
			t.Errorf("%s: got %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	for _, bad := range []string{
		beginMarker("corp") + "\n",
		endMarker("corp") + "\n",
		beginMarker("corp") + "\n" + endMarker("corp") + "\n" + beginMarker("corp") + "\n" + endMarker("corp") + "\n",
	} {
		if _, err := Splice(bad, "corp", block); err == nil {
			t.Errorf("Splice accepted %q", bad)
		}
	}
}

func TestDefined(t *testing.T) {
	text := "[profile mine]\n[default]\n" + beginMarker("corp") + "\n[profile gen]\n" + endMarker("corp") + "\n[ profile\tspaced ]\n[sso-session x]\n"
	byHand, generated := Defined(text)
	if !byHand["mine"] || !byHand["default"] || !byHand["spaced"] || byHand["gen"] || len(byHand) != 3 {
		t.Errorf("by hand: %v", byHand)
	}
	if generated["gen"] != "corp" || len(generated) != 1 {
		t.Errorf("generated: %v", generated)
	}
}

// FuzzSplice: whatever the file holds, a splice that succeeds keeps every
// byte outside the block, and a second splice of the same block changes
// nothing.
func FuzzSplice(f *testing.F) {
	f.Add("[default]\nregion = x\n")
	f.Add(beginMarker("corp") + "\nold\n" + endMarker("corp") + "\ntail")
	f.Add("head\r\n" + beginMarker("corp") + "\r\n" + endMarker("corp"))
	block := Block(Options{Session: "corp"}, []Profile{{Name: "a", Assignment: Assignment{"111111111111", "a", "B"}}})
	f.Fuzz(func(t *testing.T, text string) {
		got, err := Splice(text, "corp", block)
		if err != nil {
			return
		}
		again, err := Splice(got, "corp", block)
		if err != nil || again != got {
			t.Fatalf("a second splice changed the text: %v\n%q\n%q", err, got, again)
		}
		b, ok, err := find(got, "corp")
		if err != nil || !ok || got[b.start:b.end] != block {
			t.Fatalf("the block is not where it should be: %v %v", ok, err)
		}
		if orig, ok, _ := find(text, "corp"); ok {
			if got[:b.start] != text[:orig.start] || got[b.end:] != text[orig.end:] {
				t.Fatalf("bytes outside the block changed")
			}
		} else if !strings.HasPrefix(got, text) {
			t.Fatalf("appending changed the text before the block")
		}
	})
}
