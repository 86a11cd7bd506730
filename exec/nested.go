package exec

import (
	"fmt"
	"io"

	"github.com/hop-cli/hop/untrusted"
)

// WarnSwitch says, in one line on w, that a hop exec run inside another
// profile's (HOP_PROFILE set by an outer hop, or AWS_VAULT by aws-vault)
// gives its child profile's
// credentials instead: the child's environment switches, as it always
// has, where aws-vault refuses to nest. Running the same profile again
// says nothing.
func WarnSwitch(w io.Writer, getenv func(string) string, profile string) {
	outer, tool := getenv("HOP_PROFILE"), "hop"
	if outer == "" {
		// aws-vault exec's child (its AWS_VAULT), which hop's
		// credentials replace in the same way.
		outer, tool = getenv(PromptVar), "aws-vault"
	}
	if outer == "" || outer == profile {
		return
	}
	fmt.Fprintf(w, "hop: inside profile %s's %s exec: the command gets profile %s's credentials instead\n", untrusted.Text(outer), tool, untrusted.Text(profile))
}
