package cli

import (
	"slices"
	"testing"
	"time"

	"github.com/hop-cli/hop/inspect"
	"github.com/hop-cli/hop/state"
)

func TestRecentFirst(t *testing.T) {
	got := recentFirst([]string{"a", "b", "c", "d"}, []string{"c", "gone", "a"})
	if !slices.Equal(got, []string{"c", "a", "b", "d"}) {
		t.Errorf("%q", got)
	}
}

func TestPickerRowsNameAccounts(t *testing.T) {
	exp := time.Now().Add(52*time.Minute + 30*time.Second)
	past := time.Now().Add(-time.Minute)
	rows := pickerRows([]inspect.Row{
		{Profile: "p", AccountID: "111111111111", Role: "Admin", Kind: "sso", Expires: &exp},
		{Profile: "q", AccountID: "222222222222", Kind: "role", Expires: &past},
	}, state.State{Accounts: map[string]string{"111111111111": "Prod"}})
	if rows[0].AccountName != "Prod" || rows[0].Left != "52m" || rows[0].Role != "Admin" {
		t.Errorf("%+v", rows[0])
	}
	if rows[1].AccountName != "" || rows[1].Left != "" {
		t.Errorf("%+v", rows[1])
	}
}
