package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/hop-cli/hop/completions"
	"github.com/hop-cli/hop/inspect"
	"github.com/hop-cli/hop/picker"
	"github.com/hop-cli/hop/state"
	"github.com/hop-cli/hop/untrusted"
)

// pickProfile asks the user on the terminal for the profile a command was
// typed without, and remembers the choice so it comes first next time.
// keep, when set, says which profiles suit the command. Without a terminal
// it fails at once, asking for a profile on the command line.
func (g *Globals) pickProfile(ctx context.Context, command string, keep func(inspect.Row) bool) (string, error) {
	if err := picker.Available(os.Getenv); err != nil {
		// The line lacks what only a person could have chosen: a usage
		// error, as a missing argument is.
		return "", &usageError{err: fmt.Errorf("name a profile: hop %s PROFILE ('hop list' shows them; %v)", command, err)}
	}
	file := state.For(os.Getenv)
	st := file.Load()
	var names []string
	var rows func() []inspect.Row
	if keep == nil {
		// Every profile is a choice: the picker shows their names, read
		// from the section headers alone, while the config is parsed and
		// each profile resolved in the background.
		names = completions.Candidates(os.Getenv)
		rows = func() []inspect.Row {
			cfg, err := g.config(ctx)
			if err != nil {
				// The names still show; choosing one reports the error.
				return nil
			}
			return inspect.Rows(cfg, g.cacheView())
		}
	} else {
		cfg, err := g.config(ctx)
		if err != nil {
			return "", err
		}
		resolved := slices.DeleteFunc(inspect.Rows(cfg, g.cacheView()), func(r inspect.Row) bool { return !keep(r) })
		for _, r := range resolved {
			names = append(names, r.Profile)
		}
		rows = func() []inspect.Row { return resolved }
	}
	ctx, stop := interruptible(ctx)
	defer stop()
	choice, err := picker.Pick(ctx, "hop "+command, recentFirst(names, st.Recent), func() []picker.Row { return pickerRows(rows(), st) })
	if errors.Is(err, picker.ErrInterrupted) {
		return "", interruptGroup()
	}
	if err != nil {
		return "", err
	}
	// The picker leaves nothing on the screen: the scrollback says what ran.
	fmt.Fprintf(os.Stderr, "hop: %s %s\n", command, untrusted.Text(choice))
	if err := file.Update(func(s *state.State) { s.Used(choice) }); err != nil {
		g.debugf("remembering the picked profile: %v", err)
	}
	return choice, nil
}

// recentFirst orders names most recently picked first, then as given.
func recentFirst(names, recent []string) []string {
	rank := make(map[string]int, len(recent))
	for i, p := range recent {
		rank[p] = i + 1
	}
	out := slices.Clone(names)
	slices.SortStableFunc(out, func(a, b string) int {
		ra, rb := rank[a], rank[b]
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
	return out
}

// pickerRows are rows as the picker shows them, with the account names the
// last sync learnt.
func pickerRows(rows []inspect.Row, st state.State) []picker.Row {
	now := time.Now()
	out := make([]picker.Row, len(rows))
	for i, r := range rows {
		out[i] = picker.Row{Profile: r.Profile, AccountID: r.AccountID, AccountName: st.Accounts[r.AccountID], Role: r.Role, Kind: r.Kind, Problem: r.Problem()}
		if r.Expires == nil {
			continue
		}
		if left := inspect.Left(*r.Expires, now); left > 0 {
			out[i].Left = inspect.Duration(left)
		}
	}
	return out
}

// usesSSO keeps the profiles whose chain starts at Identity Center.
func usesSSO(r inspect.Row) bool {
	return len(r.Chain) > 0 && strings.HasPrefix(r.Chain[len(r.Chain)-1], "sso:")
}

// profileOrPick is profile, or when it is empty the one the user picks.
func (g *Globals) profileOrPick(ctx context.Context, profile, command string) (string, error) {
	if profile != "" {
		return profile, nil
	}
	return g.pickProfile(ctx, command, nil)
}
