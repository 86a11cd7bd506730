package exec

import (
	"fmt"
	"io"

	"github.com/hop-cli/hop/untrusted"
)

// WarnSwitch says, in one line on w, that a hop exec run inside another
// profile's (HOP_PROFILE set by an outer hop) gives its child profile's
// credentials instead: the child's environment switches, as it always
// has, where aws-vault refuses to nest. Running the same profile again
// says nothing.
func WarnSwitch(w io.Writer, getenv func(string) string, profile string) {
	outer := getenv("HOP_PROFILE")
	if outer == "" || outer == profile {
		return
	}
	fmt.Fprintf(w, "hop: inside profile %s's hop exec: the command gets profile %s's credentials instead\n", untrusted.Text(outer), untrusted.Text(profile))
}
