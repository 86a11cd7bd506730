package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/hop-cli/hop/inspect"
	"github.com/hop-cli/hop/picker"
	"github.com/hop-cli/hop/state"
)

// pickProfile asks the user on the terminal for the profile a command was
// typed without, and remembers the choice so it comes first next time.
// keep, when set, says which profiles suit the command. Without a terminal
// it fails at once, asking for a profile on the command line.
func (g *Globals) pickProfile(command string, keep func(inspect.Row) bool) (string, error) {
	if err := picker.Available(os.Getenv); err != nil {
		return "", fmt.Errorf("name a profile: hop %s PROFILE ('hop list' shows them; %v)", command, err)
	}
	cfg, err := g.config()
	if err != nil {
		return "", err
	}
	file := state.For(os.Getenv)
	st := file.Load()
	rows := inspect.Rows(cfg, g.cacheView())
	if keep != nil {
		rows = slices.DeleteFunc(rows, func(r inspect.Row) bool { return !keep(r) })
	}
	ctx, stop := interruptible(context.Background())
	defer stop()
	choice, err := picker.Pick(ctx, "hop "+command, pickerRows(rows, st))
	if err != nil {
		return "", err
	}
	if err := file.Update(func(s *state.State) { s.Used(choice) }); err != nil {
		g.debugf("remembering the picked profile: %v", err)
	}
	return choice, nil
}

// pickerRows orders rows most recently picked first, then as the config
// file has them.
func pickerRows(rows []inspect.Row, st state.State) []picker.Row {
	rank := make(map[string]int, len(st.Recent))
	for i, p := range st.Recent {
		rank[p] = i + 1
	}
	slices.SortStableFunc(rows, func(a, b inspect.Row) int {
		ra, rb := rank[a.Profile], rank[b.Profile]
		switch {
		case ra == rb:
			return 0
		case ra == 0:
			return 1
		case rb == 0:
			return -1
		}
		return ra - rb
	})
	now := time.Now()
	out := make([]picker.Row, len(rows))
	for i, r := range rows {
		out[i] = picker.Row{Profile: r.Profile, AccountID: r.AccountID, AccountName: st.Accounts[r.AccountID], Role: r.Role, Kind: r.Kind}
		if r.Expires != nil && r.Expires.After(now) {
			out[i].Left = inspect.Duration(r.Expires.Sub(now))
		}
	}
	return out
}

// usesSSO keeps the profiles whose chain starts at Identity Center.
func usesSSO(r inspect.Row) bool {
	return len(r.Chain) > 0 && strings.HasPrefix(r.Chain[len(r.Chain)-1], "sso:")
}

// profileOrPick is profile, or when it is empty the one the user picks.
func (g *Globals) profileOrPick(profile, command string) (string, error) {
	if profile != "" {
		return profile, nil
	}
	return g.pickProfile(command, nil)
}
