package picker

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func rows(n int) []Row {
	out := make([]Row, n)
	for i := range out {
		out[i] = Row{Profile: fmt.Sprintf("team-%d.admin", i), AccountID: fmt.Sprintf("%012d", i), AccountName: fmt.Sprintf("Team %d", i), Role: "Admin", Kind: "sso"}
	}
	return out
}

func key(text string) tea.KeyPressMsg {
	return tea.KeyPressMsg{Text: text, Code: []rune(text)[0]}
}

func TestFilterMatchesEveryWordInAnyField(t *testing.T) {
	m := newModel("hop exec", []Row{
		{Profile: "prod-admin", AccountID: "111111111111", AccountName: "Production", Role: "AdministratorAccess", Kind: "sso"},
		{Profile: "prod-read", AccountID: "111111111111", AccountName: "Production", Role: "ReadOnly", Kind: "sso"},
		{Profile: "dev-admin", AccountID: "222222222222", AccountName: "Development", Role: "AdministratorAccess", Kind: "role"},
		{Profile: "evil\x1b]0;owned\a", Kind: "static"},
	})
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{"prod-admin", "prod-read", "dev-admin", "evil\x1b]0;owned\a"}},
		{"prod admin", []string{"prod-admin"}},
		{"ADMIN production", []string{"prod-admin"}},
		{"2222 role", []string{"dev-admin"}},
		{"readonly", []string{"prod-read"}},
		{"owned", []string{"evil\x1b]0;owned\a"}},
		{"nothing", nil},
	} {
		m.query = []rune(c.query)
		m.filter()
		var got []string
		for _, i := range m.shown {
			got = append(got, m.entries[i].profile)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q: %q, want %q", c.query, got, c.want)
		}
	}
	m.query = nil
	m.filter()
	if view := m.render(); strings.Contains(view, "\x1b]") || strings.Contains(view, "\a") {
		t.Errorf("a profile name drove the terminal: %q", view)
	}
}

func TestKeys(t *testing.T) {
	m := newModel("hop exec", rows(50))
	for _, k := range "9 ADM" {
		m.Update(key(string(k)))
	}
	if string(m.query) != "9 ADM" || len(m.shown) != 5 {
		t.Fatalf("query %q, %d shown", string(m.query), len(m.shown))
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	m.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
	m.Update(tea.PasteMsg{Content: "m\n\x1b[31m"})
	if string(m.query) != "9 ADm[31m" {
		t.Errorf("query %q after backspace and a paste", string(m.query))
	}
	m.Update(tea.KeyPressMsg{Code: 'w', Mod: tea.ModCtrl})
	if string(m.query) != "9 " {
		t.Errorf("ctrl+w left %q", string(m.query))
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if cmd == nil || m.choice != "team-29.admin" {
		t.Errorf("enter chose %q", m.choice)
	}
	m = newModel("hop exec", rows(3))
	if _, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEscape}); cmd == nil || m.choice != "" {
		t.Errorf("esc chose %q", m.choice)
	}
}

// BenchmarkFirstFrame is the picker's own work before its first draw on
// 10,000 profiles.
func BenchmarkFirstFrame(b *testing.B) {
	r := rows(10000)
	for b.Loop() {
		m := newModel("hop exec", r)
		_ = m.render()
	}
}

// TestDetailsArriveLater: the names show at once; the details replace them
// in place, keeping the filter and the profile under the cursor.
func TestDetailsArriveLater(t *testing.T) {
	m := newModel("hop exec", []Row{{Profile: "b"}, {Profile: "a"}, {Profile: "c"}})
	m.query = []rune("a")
	m.filter()
	if len(m.shown) != 1 {
		t.Fatalf("%d shown before details", len(m.shown))
	}
	m.query = nil
	m.filter()
	m.move(2)
	m.Update(detailsMsg{{Profile: "a", Role: "Admin"}, {Profile: "c", Role: "ReadOnly"}, {Profile: "b", Role: "Admin"}})
	var order []string
	for _, e := range m.entries {
		order = append(order, e.profile+":"+e.cells[3])
	}
	if strings.Join(order, " ") != "b:Admin a:Admin c:ReadOnly" {
		t.Errorf("entries %q", order)
	}
	if got := m.entries[m.shown[m.cursor]].profile; got != "c" {
		t.Errorf("cursor on %q, want c still", got)
	}
	m.query = []rune("admin")
	m.filter()
	if len(m.shown) != 2 {
		t.Errorf("%d match admin once the roles are known, want 2", len(m.shown))
	}
}

// TestBrokenProfilesAndLeaving: a profile with a problem is drawn with its
// reason, dimmed, and Enter on it says why and picks nothing; Ctrl-C is
// an interruption, Esc no choice.
func TestBrokenProfilesAndLeaving(t *testing.T) {
	m := newModel("hop exec", []Row{{Profile: "loop-a", Kind: "error", Problem: "source_profile loop: loop-a -> loop-b -> loop-a\x1b[2J"}, {Profile: "fine", Kind: "sso"}})
	view := m.render()
	if !strings.Contains(view, "\x1b[2;7m> loop-a") || !strings.Contains(view, "✗ source_profile loop: loop-a -> loop-b -> loop-a\\e[2J") {
		t.Errorf("the broken profile is not drawn dimmed with its reason, filtered: %q", view)
	}
	if _, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}); cmd != nil || m.choice != "" || !strings.Contains(m.render(), "loop-a cannot be used: source_profile loop") {
		t.Errorf("Enter on a broken profile: choice %q, view %q", m.choice, m.render())
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	if strings.Contains(m.render(), "cannot be used") {
		t.Error("the refusal outlived the next key")
	}
	if _, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}); cmd == nil || m.choice != "fine" {
		t.Errorf("Enter on a usable profile chose %q", m.choice)
	}
	m = newModel("hop exec", rows(3))
	if _, cmd := m.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}); cmd == nil || !m.interrupted || m.choice != "" {
		t.Errorf("ctrl+c: interrupted %v, chose %q", m.interrupted, m.choice)
	}
	m = newModel("hop exec", rows(3))
	if m.Update(tea.KeyPressMsg{Code: tea.KeyEscape}); m.interrupted || !m.done {
		t.Error("esc is not a plain leaving")
	}
}
