//go:build e2e && unix

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
	if !strings.Contains(screen, "interrupted (Ctrl-C); nothing stored or changed for profile alice") || !strings.Contains(screen, "hop-exit=130\n") {
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

// TestSecretsStayHiddenAcrossAStop: Ctrl-Z at a hidden prompt, then fg, in
// a job-control shell (which turns echo on while it holds the terminal):
// what is typed after, the rest of add's secret, the file keyring's
// passphrase and the MFA code, never shows, and each is taken.
func TestSecretsStayHiddenAcrossAStop(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, keysConfig+"\n[profile mfa]\nrole_arn = "+testenv.RoleARN+"\nsource_profile = example\nmfa_serial = "+aliceSerial+"\n")
	alice := e.NewUser(t, "alice", aliceActions...)
	env := e.Environ()
	if r := hop(t, env, "login", "example"); r.code != 0 {
		t.Fatalf("hop login: %s", r.stderr)
	}
	passphrase := getenv(env, "HOP_FILE_PASSPHRASE")
	for _, c := range []struct {
		name, command, prompt string
		// typed before the stop and after it.
		before, after string
		done          string
	}{
		{"add's secret", "hop add alice", "Secret access key: ", alice.SecretAccessKey[:20], alice.SecretAccessKey[20:], "stored key"},
		// Set but empty is unset: hop asks.
		{"the passphrase", "HOP_FILE_PASSPHRASE= hop exec requires3 -- true", "Enter passphrase to unlock", passphrase[:10], passphrase[10:], ""},
		{"the MFA code", "hop exec mfa -- true", "MFA code for", "", "908172", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newPane(t, env)
			s := &screen{p, t}
			p.WaitFor("$ ")
			p.TypeLine(c.command)
			if c.command == "hop add alice" {
				p.WaitFor("Access key ID: ")
				p.TypeLine(alice.AccessKeyID)
			}
			p.WaitFor(c.prompt)
			p.Type(c.before)
			p.Press("C-z")
			p.WaitFor("Stopped")
			p.TypeLine(`fg; echo resumed""=$?`)
			// The question again: hop has the terminal back, quiet.
			s.waitFor(c.prompt, 2)
			p.TypeLine(c.after)
			text := p.WaitFor("resumed=")
			if !strings.Contains(text, "resumed=0") || !strings.Contains(text, c.done) {
				t.Errorf("want status 0 after the stop; screen:\n%s", text)
			}
			for _, part := range []string{c.before, c.after} {
				if part != "" && strings.Contains(text, part) {
					t.Errorf("%q, typed at the hidden prompt, shows:\n%s", part, text)
				}
			}
		})
	}
}

// TestPastedKeyShowsNoSecret: the key ID and the secret pasted together at
// hop add's first question: the secret never shows and is the one stored.
// Pasted after an ID hop refuses, the secret reaches neither the screen
// nor the shell.
func TestPastedKeyShowsNoSecret(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, keysConfig)
	alice := e.NewUser(t, "alice", aliceActions...)
	env := e.Environ()
	p := newPane(t, env)
	p.WaitFor("$ ")

	p.TypeLine(`hop add alice; echo add""=$?`)
	p.WaitFor("Access key ID: ")
	p.Paste(alice.AccessKeyID + "\n" + alice.SecretAccessKey + "\n")
	text := p.WaitFor("add=")
	if !strings.Contains(text, "add=0") || !strings.Contains(text, "Access key ID: "+alice.AccessKeyID) {
		t.Errorf("the pasted key was not taken, or its ID not shown; screen:\n%s", text)
	}
	if strings.Contains(text, alice.SecretAccessKey) {
		t.Errorf("the pasted secret shows:\n%s", text)
	}
	r := hopNoTTY(t, env, "exec", "alice", "--no-session", "--", "printenv", "AWS_SECRET_ACCESS_KEY")
	if r.code != 0 || strings.TrimSpace(r.stdout) != alice.SecretAccessKey {
		t.Errorf("the stored key is not the pasted one (status %d): %s", r.code, r.stderr)
	}

	const secret = "PastedAfterARefusedID0000000000000000000"
	// The first add's prompt is on the screen until clear runs: wait for
	// the line after clear, so the paste waits for the new prompt.
	p.TypeLine(`clear; echo cleared""=1; hop add --force alice; echo refused""=$?`)
	p.WaitFor("cleared=1")
	p.WaitFor("Access key ID: ")
	p.Paste("not-a-key-id\n" + secret + "\n")
	p.WaitFor("refused=")
	// Whatever reached the shell ahead of this line has run by the time
	// it prints.
	p.TypeLine(`echo settled""=1`)
	text = p.WaitFor("settled=1")
	if !strings.Contains(text, "refused=1") || !strings.Contains(text, "hop: the access key ID is 12 characters") {
		t.Errorf("the refused ID: want status 1 and why; screen:\n%s", text)
	}
	if strings.Contains(text, secret) {
		t.Errorf("the secret pasted after a refused ID shows, or reached the shell:\n%s", text)
	}
}
