//go:build e2e

package e2e

import (
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/faultproxy"
	"github.com/hop-cli/hop/internal/testenv"
)

// storedKeyID is the key the profile's child gets with --no-session: the
// stored one.
func storedKeyID(t *testing.T, env []string, profile string) string {
	t.Helper()
	return childEnv(t, hopNoTTY(t, env, "exec", profile, "--no-session", "--", "env", "-0"))["AWS_ACCESS_KEY_ID"]
}

// TestRotate: a rotation interrupted while IAM makes the key, or failing
// to delete the old one, leaves a working key stored and says which; a
// whole one leaves exactly one key in IAM, the new one, in the keyring.
func TestRotate(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	e.AppendConfig(t, "[profile rot]\nregion = ap-northeast-1\n")
	k1 := e.NewUser(t, "rot", aliceActions...)
	r := hopNoTTY(t, setenv(env, "AWS_ACCESS_KEY_ID="+k1.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+k1.SecretAccessKey), "add", "rot", "--env")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}

	// Ctrl-C while CreateAccessKey is on its way.
	stderr := interruptRotate(t, e, env, "iam:CreateAccessKey")
	if !strings.Contains(stderr, "the stored key is "+k1.AccessKeyID+" and works") {
		t.Errorf("interrupted rotate: %q; want it to name %s as the working key", stderr, k1.AccessKeyID)
	}
	if keys := e.AccessKeys(t, "rot"); !slices.Equal(keys, []string{k1.AccessKeyID}) || storedKeyID(t, env, "rot") != k1.AccessKeyID {
		t.Fatalf("after the interrupted rotate IAM has %v and hop stores %s; want %s in both", keys, storedKeyID(t, env, "rot"), k1.AccessKeyID)
	}

	// A whole rotation.
	e.ResetCounts()
	r = hopNoTTY(t, env, "rotate", "rot")
	if r.code != 0 {
		t.Fatalf("hop rotate: exit %d: %s", r.code, r.stderr)
	}
	k2 := storedKeyID(t, env, "rot")
	if keys := e.AccessKeys(t, "rot"); k2 == k1.AccessKeyID || !slices.Equal(keys, []string{k2}) {
		t.Errorf("after hop rotate IAM has %v and hop stores %s; want one new key in both", keys, k2)
	}
	var ops []string
	for _, c := range e.Moto.Calls() {
		ops = append(ops, c.Operation+" by "+c.AccessKeyID)
	}
	if want := []string{"iam:CreateAccessKey by " + k1.AccessKeyID, "sts:GetCallerIdentity by " + k2, "iam:DeleteAccessKey by " + k1.AccessKeyID}; !slices.Equal(ops[:3], want) {
		t.Errorf("calls %q, want %q first", ops, want)
	}

	// IAM will not delete the old key: the new one is stored, and the
	// message says what to delete.
	e.Moto.Inject("iam:DeleteAccessKey", 10, faultproxy.QueryError(500, "ServiceFailure", "try later"))
	r = hopNoTTY(t, env, "rotate", "rot")
	k3 := storedKeyID(t, env, "rot")
	if r.code == 0 || k3 == k2 || !strings.Contains(r.stderr, "the stored key is "+k3+" and works") || !strings.Contains(r.stderr, "delete-access-key --access-key-id "+k2) {
		t.Errorf("rotate with DeleteAccessKey failing: exit %d, %q; want %s stored and %s named to delete", r.code, r.stderr, k3, k2)
	}
	if keys := e.AccessKeys(t, "rot"); len(keys) != 2 {
		t.Errorf("IAM has %v, want the old and the new key", keys)
	}

	// Ctrl-C once the new key is made: it is stored all the same, and the
	// message says the old one is left to delete.
	e.ResetCounts() // the faults left for DeleteAccessKey
	e.DeleteAccessKey(t, "rot", k2)
	stderr = interruptRotate(t, e, env, "sts:GetCallerIdentity")
	k4 := storedKeyID(t, env, "rot")
	if k4 == k3 || !strings.Contains(stderr, "the stored key is "+k4+" and works") || !strings.Contains(stderr, "delete-access-key --access-key-id "+k3) {
		t.Errorf("rotate interrupted after CreateAccessKey: %q; want the new key %s stored and %s named to delete", stderr, k4, k3)
	}
	if keys := e.AccessKeys(t, "rot"); !slices.Contains(keys, k4) || !slices.Contains(keys, k3) {
		t.Errorf("IAM has %v, want %s and %s", keys, k3, k4)
	}
}

// interruptRotate runs hop rotate rot, holds the request for op at the
// proxy, sends Ctrl-C's SIGINT while it waits, and returns what hop said.
func interruptRotate(t *testing.T, e *testenv.Env, env []string, op string) string {
	t.Helper()
	e.ResetCounts()
	e.Moto.Inject(op, 1, faultproxy.Fault{Delay: time.Minute})
	cmd := exec.Command(hopBin, "rotate", "rot")
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Polled: the proxy counts the request as it starts holding it.
	for deadline := time.Now().Add(hopRunLimit); e.Moto.Count(op) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("hop rotate never called %s: %s", op, stderr.String())
		}
	}
	cmd.Process.Signal(syscall.SIGINT)
	if err := cmd.Wait(); err == nil || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("hop rotate interrupted at %s: %v, %s", op, err, stderr.String())
	}
	return stderr.String()
}

// TestRotateThroughMFASession: with mfa_serial set, the key is made and
// the old one deleted through a session made with MFA, not with the bare
// key. moto does not know the session, so the proxy answers the two IAM
// calls it signs; the new key is one moto does know, made beforehand.
func TestRotateThroughMFASession(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	e.AppendConfig(t, keysConfig)
	k1 := e.NewUser(t, "alice", aliceActions...)
	addAlice(t, e, env, k1)
	k2 := e.CreateAccessKey(t, "alice")

	e.ResetCounts()
	e.Moto.Inject("iam:CreateAccessKey", 1, faultproxy.CreateAccessKeyAnswer("alice", k2.AccessKeyID, k2.SecretAccessKey))
	e.Moto.Inject("iam:DeleteAccessKey", 1, faultproxy.EmptyAnswer("DeleteAccessKey", "https://iam.amazonaws.com/doc/2010-05-08/"))
	r := hopNoTTY(t, env, "rotate", "alice", "-t", "112233")
	if r.code != 0 {
		t.Fatalf("hop rotate alice: exit %d: %s", r.code, r.stderr)
	}
	calls := e.Moto.Calls()
	if len(calls) != 4 {
		t.Fatalf("calls %+v, want GetSessionToken, CreateAccessKey, GetCallerIdentity, DeleteAccessKey", calls)
	}
	session := calls[1].AccessKeyID
	want := []faultproxy.Call{
		{Operation: "sts:GetSessionToken", AccessKeyID: k1.AccessKeyID, SerialNumber: aliceSerial, TokenCode: "112233"},
		{Operation: "iam:CreateAccessKey", AccessKeyID: session},
		{Operation: "sts:GetCallerIdentity", AccessKeyID: k2.AccessKeyID},
		{Operation: "iam:DeleteAccessKey", AccessKeyID: session},
	}
	if !slices.Equal(calls, want) || session == k1.AccessKeyID {
		t.Errorf("calls %+v\nwant %+v, with the session not the key %s", calls, want, k1.AccessKeyID)
	}
	if got := storedKeyID(t, env, "alice"); got != k2.AccessKeyID {
		t.Errorf("hop stores %s after the rotation, want %s", got, k2.AccessKeyID)
	}
}
