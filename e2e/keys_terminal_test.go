//go:build e2e

package e2e

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/faultproxy"
	"github.com/hop-cli/hop/internal/testenv"
)

// onTerminal runs script under sh on a terminal, with exactly env. The
// script's last command keeps the pane open to be read, and the pane stays
// after its command ends, so a failure can be read.
func onTerminal(t *testing.T, env []string, script string) *pane {
	t.Helper()
	start := "exec env -i"
	for _, kv := range env {
		start += " " + shellQuote(kv)
	}
	// The shell outlives a Ctrl-C meant for hop, to report on it.
	start += " /bin/sh -c " + shellQuote("trap : INT\n"+script+"\necho \"hop-exit=$?\"; stty -a | tr ' ' '\\n' | grep -x -- '-\\{0,1\\}echo'; exec cat >/dev/null") + "\n"
	return startPane(t, start, "set -g remain-on-exit on\n")
}

// TestStoredKeyOnTerminal: the MFA code is asked on the terminal, naming
// the serial, and one code serves the session; hop add asks for the key
// with the secret unechoed; Ctrl-C at the secret leaves nothing stored
// and the terminal echoing; a replacement is asked about first.
func TestStoredKeyOnTerminal(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	e.AppendConfig(t, keysConfig)
	alice := e.NewUser(t, "alice", aliceActions...)
	configBefore, _ := os.ReadFile(e.ConfigFile)

	// Ctrl-C at the secret.
	p := onTerminal(t, env, hopBin+" add alice")
	p.WaitFor("Access key ID: ")
	p.TypeLine(alice.AccessKeyID)
	p.WaitFor("Secret access key: ")
	p.Press("C-c")
	screen := p.WaitFor("hop-exit=")
	if !strings.Contains(screen, "interrupted; nothing stored or changed for profile alice") || !strings.Contains(screen, "hop-exit=1") {
		t.Errorf("Ctrl-C at the secret:\n%s", screen)
	}
	if strings.Contains(screen, "\n-echo") {
		t.Errorf("Ctrl-C at the secret left the terminal without echo:\n%s", screen)
	}
	if r := hopNoTTY(t, env, "exec", "alice", "--no-session", "--", "true"); r.code == 0 {
		t.Error("a key was stored after Ctrl-C")
	}
	if after, _ := os.ReadFile(e.ConfigFile); string(after) != string(configBefore) {
		t.Error("Ctrl-C at the secret changed the config file")
	}

	// The whole add, then the MFA code on the terminal.
	p = onTerminal(t, env, hopBin+" add alice && "+hopBin+" exec admin-role -- true && "+hopBin+" exec other-role -- true")
	p.WaitFor("Access key ID: ")
	p.TypeLine(alice.AccessKeyID)
	p.WaitFor("Secret access key: ")
	p.TypeLine(alice.SecretAccessKey)
	p.WaitFor("stored key")
	e.ResetCounts()
	e.Moto.Inject("sts:AssumeRole", 2, faultproxyAnswer())
	screen = p.WaitFor("MFA code")
	if !strings.Contains(screen, aliceSerial) || !strings.Contains(screen, "profile alice") {
		t.Errorf("the MFA prompt does not name the serial and the profile:\n%s", screen)
	}
	p.TypeLine("135790")
	screen = p.WaitFor("hop-exit=")
	if !strings.Contains(screen, "hop-exit=0") || strings.Contains(screen, alice.SecretAccessKey) || strings.Count(screen, "MFA code") != 1 {
		t.Errorf("add, then two roles on the terminal (one MFA prompt, and the secret must not show):\n%s", screen)
	}
	var mfa []string
	for _, c := range e.Moto.Calls() {
		if c.TokenCode != "" {
			mfa = append(mfa, c.Operation+" "+c.TokenCode)
		}
	}
	if len(mfa) != 1 || mfa[0] != "sts:GetSessionToken 135790" {
		t.Errorf("calls with MFA: %q; want the typed code in GetSessionToken only", mfa)
	}

	// Replacing asks first; no keeps the key.
	p = onTerminal(t, env, hopBin+" add alice")
	p.WaitFor("Replace it? [y/N]")
	p.TypeLine("n")
	if screen := p.WaitFor("hop-exit="); !strings.Contains(screen, "nothing changed: profile alice keeps its stored key") {
		t.Errorf("answering no:\n%s", screen)
	}
}

func faultproxyAnswer() faultproxy.Fault {
	return faultproxy.AssumeRoleAnswer(testenv.RoleARN, "ASIAADMINROLE0000001", "s", "t", time.Now().Add(time.Hour))
}
