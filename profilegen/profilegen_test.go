package profilegen

import (
	"slices"
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
	}
	profiles, notes, err := Plan(as, Options{Session: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if len(profiles) != 1 || profiles[0].Name != "ok.admin" || profiles[0].AccountID != "111111111111" {
		t.Errorf("profiles %+v, want only the first", profiles)
	}
	if len(notes) != 2 {
		t.Errorf("notes %q, want two", notes)
	}
	if _, _, err := Plan(as, Options{Template: "{nope}"}); err == nil {
		t.Error("an unknown placeholder was accepted")
	}
}

// TestPlanNames: every assignment gets a name of its own, the same
// whatever order Identity Center lists them in, and a name the block held
// for one role never goes to another.
func TestPlanNames(t *testing.T) {
	long := strings.Repeat("Very Long Account Name ", 250)
	for _, c := range []struct {
		name string
		tmpl string
		as   []Assignment
		// held is the block's names before, as name=account/role.
		held []string
		// want is each profile as name=account/role.
		want []string
	}{
		{"two accounts of one name", "", []Assignment{{"777788889999", "Prod", "Admin"}, {"111122223333", "Prod", "Admin"}, {"111122223333", "Prod", "ReadOnly"}},
			nil, []string{"prod.admin@111122223333=111122223333/Admin", "prod.admin@777788889999=777788889999/Admin", "prod.readonly=111122223333/ReadOnly"}},
		{"a name the block holds stays with its role", "", []Assignment{{"777788889999", "Prod", "Admin"}, {"111122223333", "Prod", "Admin"}},
			[]string{"prod.admin=111122223333/Admin"}, []string{"prod.admin=111122223333/Admin", "prod.admin@777788889999=777788889999/Admin"}},
		{"a renamed account renames its profile, and its old name goes to nobody", "", []Assignment{{"777788889999", "Prod", "Admin"}, {"111122223333", "Production", "Admin"}},
			[]string{"prod.admin=111122223333/Admin"}, []string{"prod.admin@777788889999=777788889999/Admin", "production.admin=111122223333/Admin"}},
		{"after the rename, each keeps its name", "", []Assignment{{"777788889999", "Prod", "Admin"}, {"111122223333", "Production", "Admin"}},
			[]string{"prod.admin@111122223333=111122223333/Admin", "prod.admin@777788889999=777788889999/Admin"},
			[]string{"prod.admin@777788889999=777788889999/Admin", "production.admin=111122223333/Admin"}},
		{"a revoked role's name goes to nobody", "", []Assignment{{"777788889999", "Prod", "Admin"}},
			[]string{"prod.admin=111122223333/Admin"}, []string{"prod.admin@777788889999=777788889999/Admin"}},
		{"a template without the role", "{account_name}", []Assignment{{"111122223333", "Prod", "Admin"}, {"111122223333", "Prod", "ReadOnly"}, {"222222222222", "Dev", "Admin"}},
			nil, []string{"dev=222222222222/Admin", "prod@111122223333.admin=111122223333/Admin", "prod@111122223333.readonly=111122223333/ReadOnly"}},
		{"roles whose names clean alike", "{account_id}.{role_name}", []Assignment{{"111122223333", "Prod", "a=b"}, {"111122223333", "Prod", "a,b"}},
			nil, []string{"111122223333.a-b-682e89e4=111122223333/a=b", "111122223333.a-b-ec4c2cc4=111122223333/a,b"}},
		{"an empty name", "{account_name}", []Assignment{{"111122223333", "$()", "Admin"}},
			nil, []string{"111122223333.admin=111122223333/Admin"}},
		{"a very long account name", "", []Assignment{{"111122223333", long, "Admin"}, {"222222222222", long + "2", "Admin"}},
			nil, []string{
				"very-long-account-name-very-long-account-name-very-long-account.admin@111122223333=111122223333/Admin",
				"very-long-account-name-very-long-account-name-very-long-account.admin@222222222222=222222222222/Admin",
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := Options{Session: "s", Template: c.tmpl, held: map[string]key{}}
			for _, h := range c.held {
				name, rest, _ := strings.Cut(h, "=")
				account, role, _ := strings.Cut(rest, "/")
				o.held[name] = key{account, role}
			}
			var first []string
			for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 2, 0}} {
				var as []Assignment
				for _, i := range order {
					if i < len(c.as) {
						as = append(as, c.as[i])
					}
				}
				profiles, notes, err := Plan(as, o)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, p := range profiles {
					got = append(got, p.Name+"="+p.AccountID+"/"+p.RoleName)
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("listed in order %v: got %q, want %q (notes %q)", order, got, c.want, notes)
				}
				if first == nil {
					first = got
					t.Logf("notes: %q", notes)
				} else if !slices.Equal(got, first) {
					t.Errorf("listed in order %v: %q, but %q in the first order", order, got, first)
				}
			}
		})
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

// FuzzPlanNames: whatever Identity Center lists, every role gets one
// profile, no two the same name, each name plain text of bounded length;
// the names do not depend on the listing's order, and planning again
// over the block just written changes none.
func FuzzPlanNames(f *testing.F) {
	f.Add("111122223333|Prod|Admin\n777788889999|Prod|Admin\n111122223333|Prod|ReadOnly", uint8(0))
	f.Add("111122223333|$()|a=b\n111122223333||a,b\n222222222222|x@111122223333|Admin", uint8(1))
	f.Add("111122223333|prod.admin@777788889999|x\n777788889999|Prod|Admin", uint8(2))
	templates := []string{DefaultTemplate, "{account_name}", "{account_id}.{role_name}", "{role_name}", "x"}
	f.Fuzz(func(t *testing.T, listing string, tmplChoice uint8) {
		var as []Assignment
		for line := range strings.Lines(listing) {
			parts := strings.SplitN(strings.TrimSuffix(line, "\n"), "|", 3)
			if len(parts) == 3 {
				as = append(as, Assignment{parts[0], parts[1], parts[2]})
			}
		}
		o := Options{Session: "s", Template: templates[int(tmplChoice)%len(templates)]}
		profiles, _, err := Plan(as, o)
		if err != nil {
			t.Fatal(err)
		}
		want := map[key]bool{}
		for _, a := range as {
			if validAssignment(a) {
				want[keyOf(a)] = true
			}
		}
		seen := map[string]bool{}
		for _, p := range profiles {
			if seen[p.Name] {
				t.Fatalf("two profiles named %q", p.Name)
			}
			seen[p.Name] = true
			if !want[keyOf(p.Assignment)] {
				t.Fatalf("profile %q for %v, listed once or not at all", p.Name, keyOf(p.Assignment))
			}
			delete(want, keyOf(p.Assignment))
			if p.Name == "" || len(p.Name) > 250 || strings.TrimFunc(p.Name, safe) != "" {
				t.Fatalf("profile name %q", p.Name)
			}
		}
		if len(want) != 0 {
			t.Fatalf("no profile for %v", want)
		}
		reversed := slices.Clone(as)
		slices.Reverse(reversed)
		if again, _, _ := Plan(reversed, o); !slices.Equal(again, profiles) {
			t.Fatalf("listed in reverse: %v, not %v", again, profiles)
		}
		o.held = heldNames(Block(o, profiles), o.Session)
		if again, _, _ := Plan(as, o); !slices.Equal(again, profiles) {
			t.Fatalf("planned over its own block: %v, not %v", again, profiles)
		}
	})
}
