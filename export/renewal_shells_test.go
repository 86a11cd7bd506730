//go:build e2e

package export

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"

	hopexec "github.com/hop-cli/hop/exec"
)

// TestRenewalEvaluates has each real shell evaluate a renewal whose values
// would run code if they were not quoted, and print what it then holds.
// The evaluation itself succeeds, as a user running it by hand expects.
func TestRenewalEvaluates(t *testing.T) {
	hostile := "s'e\"c$(touch pwned)`x`\\ret\n"
	s := hopexec.Session{AccessKeyID: "AKID", SecretAccessKey: hostile, SessionToken: "",
		Expires: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	show := map[string]string{
		"bash": `eval "$(cat)" || exit 9; printf '%s|%s|%s|%s|%s|%s' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "${AWS_SESSION_TOKEN-unset}" "$AWS_CREDENTIAL_EXPIRATION" "$AWS_SESSION_EXPIRATION" "$HOP_EXPIRES_AT"`,
		"zsh":  `eval "$(cat)" || exit 9; printf '%s|%s|%s|%s|%s|%s' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "${AWS_SESSION_TOKEN-unset}" "$AWS_CREDENTIAL_EXPIRATION" "$AWS_SESSION_EXPIRATION" "$HOP_EXPIRES_AT"`,
		"fish": `source; or exit 9; set -q AWS_SESSION_TOKEN; or set AWS_SESSION_TOKEN unset; printf '%s|%s|%s|%s|%s|%s' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$AWS_CREDENTIAL_EXPIRATION" "$AWS_SESSION_EXPIRATION" "$HOP_EXPIRES_AT"`,
	}
	for _, shell := range RenewalShells {
		path, err := exec.LookPath(shell)
		if err != nil {
			t.Skipf("%s not installed", shell)
		}
		var script bytes.Buffer
		if err := WriteRenewal(&script, shell, s); err != nil {
			t.Fatal(err)
		}
		// Six lines, one of them a value's newline.
		if lines := strings.Count(script.String(), "\n"); lines != 7 {
			t.Errorf("%s: %d lines, want the six variables only:\n%s", shell, lines, script.String())
		}
		// With an old session token, which the renewal must drop, and
		// without one.
		for _, token := range []string{"AWS_SESSION_TOKEN=old", "NO_TOKEN=1"} {
			dir := t.TempDir()
			cmd := exec.Command(path, "-c", show[shell])
			cmd.Dir = dir
			cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir, token}
			cmd.Stdin = bytes.NewReader(script.Bytes())
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s, %s: %v\n%s", shell, token, err, out)
			}
			want := "AKID|" + hostile + "|unset|2030-01-02T03:04:05Z|2030-01-02T03:04:05Z|1893553445"
			if string(out) != want {
				t.Errorf("%s, %s: evaluated the renewal to %q, want %q", shell, token, out, want)
			}
		}
	}
}
