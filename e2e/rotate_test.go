//go:build e2e && unix

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
// to delete the old one, leaves a key stored and says which, and whether
// it was seen working; a whole one leaves exactly one key in IAM, the new
// one, in the keyring.
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
	if !strings.Contains(stderr, "the stored key is "+k1.AccessKeyID+" (unchanged)") || !strings.Contains(stderr, "IAM may have made a new key") {
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
	// message says the old one is kept until the new one is seen working.
	e.ResetCounts() // the faults left for DeleteAccessKey
	e.DeleteAccessKey(t, "rot", k2)
	stderr = interruptRotate(t, e, env, "sts:GetCallerIdentity")
	k4 := storedKeyID(t, env, "rot")
	if k4 == k3 || !strings.Contains(stderr, "the stored key is "+k4+" (STS has not accepted it yet)") || !strings.Contains(stderr, "the old key "+k3+" is kept") {
		t.Errorf("rotate interrupted after CreateAccessKey: %q; want the new key %s stored and %s kept", stderr, k4, k3)
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

// addRot makes the IAM user rot and stores its key for each profile.
func addRot(t *testing.T, e *testenv.Env, env []string, profiles ...string) testenv.Keys {
	t.Helper()
	k := e.NewUser(t, "rot", aliceActions...)
	for _, p := range profiles {
		e.AppendConfig(t, "[profile "+p+"]\nregion = ap-northeast-1\n")
		if r := hopNoTTY(t, setenv(env, "AWS_ACCESS_KEY_ID="+k.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+k.SecretAccessKey), "add", p, "--env"); r.code != 0 {
			t.Fatal(r.stderr)
		}
	}
	return k
}

// TestRotateSharedKey: two profiles store the same key; rotating one
// stores the new key for both, names the other, and leaves IAM only the
// new key, so neither is stranded with a deleted one.
func TestRotateSharedKey(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	k1 := addRot(t, e, env, "dev", "dev-nomfa")
	r := hopNoTTY(t, env, "rotate", "dev")
	if r.code != 0 || !strings.Contains(r.stderr, "dev-nomfa") {
		t.Fatalf("hop rotate dev: exit %d: %q; want it to name dev-nomfa", r.code, r.stderr)
	}
	k2 := storedKeyID(t, env, "dev")
	if other := storedKeyID(t, env, "dev-nomfa"); k2 == k1.AccessKeyID || other != k2 {
		t.Errorf("after rotating dev, dev stores %s and dev-nomfa %s; want both the new key", k2, other)
	}
	if keys := e.AccessKeys(t, "rot"); !slices.Equal(keys, []string{k2}) {
		t.Errorf("IAM has %v, want only %s", keys, k2)
	}
	e.ResetCounts()
	if r := hopNoTTY(t, env, "exec", "dev-nomfa", "--no-session", "--", "aws", "sts", "get-caller-identity"); r.code != 0 {
		t.Errorf("dev-nomfa after the rotation: exit %d: %s", r.code, r.stderr)
	}
}

// TestRotateLostCreateReply: IAM makes the key but its reply is lost.
// hop makes one CreateAccessKey, never a second, and says IAM may hold a
// key it never saw; the next rotate, refused for the limit of two keys,
// names that key and says how to delete it.
func TestRotateLostCreateReply(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	k1 := addRot(t, e, env, "rot")
	e.ResetCounts()
	e.Moto.Inject("iam:CreateAccessKey", 4, faultproxy.Fault{LoseReply: true})
	r := hopNoTTY(t, env, "rotate", "rot")
	if n := e.Moto.Count("iam:CreateAccessKey"); n != 1 {
		t.Errorf("hop rotate made %d CreateAccessKey calls, want 1", n)
	}
	if r.code == 0 || !strings.Contains(r.stderr, "IAM may have made a new key") || !strings.Contains(r.stderr, "list-access-keys") || strings.Contains(r.stderr, "nothing was changed") {
		t.Errorf("rotate with CreateAccessKey's reply lost: exit %d: %q; want it to say IAM may have made a key", r.code, r.stderr)
	}
	keys := e.AccessKeys(t, "rot")
	orphan := slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return k == k1.AccessKeyID })
	if len(keys) != 2 || len(orphan) != 1 || storedKeyID(t, env, "rot") != k1.AccessKeyID {
		t.Fatalf("IAM has %v and hop stores %s; want %s stored, and it and one key hop never saw in IAM", keys, storedKeyID(t, env, "rot"), k1.AccessKeyID)
	}

	e.ResetCounts()
	r = hopNoTTY(t, env, "rotate", "rot")
	if r.code == 0 || !strings.Contains(r.stderr, orphan[0]) || !strings.Contains(r.stderr, "delete-access-key") || !strings.Contains(r.stderr, "nothing was changed") {
		t.Errorf("rotate at the limit of keys: exit %d: %q; want it to name %s and how to delete it", r.code, r.stderr, orphan[0])
	}
	if calls := e.Moto.Calls(); len(calls) < 2 || calls[1].Operation != "iam:ListAccessKeys" || calls[1].AccessKeyID != k1.AccessKeyID {
		t.Errorf("calls %+v; want CreateAccessKey then ListAccessKeys signed by %s", calls, k1.AccessKeyID)
	}
}

// TestRotateKeepsOldUntilProven: when STS has not accepted the new key,
// hop does not say it works and keeps the old one. The next rotate checks
// the stored key: refused (deleted in IAM here), the old key is put back;
// accepted, the rotation is finished and the old key deleted.
func TestRotateKeepsOldUntilProven(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	k1 := addRot(t, e, env, "rot").AccessKeyID
	unproven := func() string {
		t.Helper()
		e.ResetCounts()
		e.Moto.Inject("sts:GetCallerIdentity", 40, faultproxy.QueryError(500, "ServiceFailure", "try later"))
		r := hopNoTTY(t, env, "rotate", "rot")
		e.ResetCounts()
		k := storedKeyID(t, env, "rot")
		if r.code == 0 || strings.Contains(r.stderr, "works") || !strings.Contains(r.stderr, "the stored key is "+k+" (STS has not accepted it yet)") || !strings.Contains(r.stderr, "kept in hop's keyring") {
			t.Fatalf("rotate with STS failing: exit %d: %q; want %s not said to work, and the old key kept", r.code, r.stderr, k)
		}
		return k
	}

	k2 := unproven()
	e.DeleteAccessKey(t, "rot", k2)
	r := hopNoTTY(t, env, "rotate", "rot")
	if r.code == 0 || !strings.Contains(r.stderr, "put back the key it replaced, "+k1) || storedKeyID(t, env, "rot") != k1 {
		t.Errorf("rotate after the new key was refused: exit %d: %q, stores %s; want %s put back", r.code, r.stderr, storedKeyID(t, env, "rot"), k1)
	}

	k3 := unproven()
	if r := hopNoTTY(t, env, "explain", "rot"); !strings.Contains(r.stdout+r.stderr, "a rotation stopped before STS accepted this key") {
		t.Errorf("hop explain rot after a rotation stopped: %q; want it to say the old key is kept", r.stdout+r.stderr)
	}
	e.ResetCounts()
	r = hopNoTTY(t, env, "rotate", "rot")
	if r.code != 0 || !strings.Contains(r.stderr, "finished the rotation") || storedKeyID(t, env, "rot") != k3 {
		t.Errorf("rotate after the new key went unchecked: exit %d: %q; want %s checked and kept", r.code, r.stderr, k3)
	}
	var ops []string
	for _, c := range e.Moto.Calls() {
		ops = append(ops, c.Operation+" by "+c.AccessKeyID)
	}
	if want := []string{"sts:GetCallerIdentity by " + k3, "iam:DeleteAccessKey by " + k3}; !slices.Equal(ops, want) {
		t.Errorf("finishing made calls %q, want %q", ops, want)
	}
	if keys := e.AccessKeys(t, "rot"); !slices.Equal(keys, []string{k3}) {
		t.Errorf("IAM has %v, want only %s", keys, k3)
	}
	if r := hopNoTTY(t, env, "explain", "rot"); strings.Contains(r.stdout+r.stderr, "a rotation stopped") {
		t.Errorf("hop explain rot after the rotation was finished: %q", r.stdout)
	}

	// hop add replaces the key a stopped rotation stored, and drops the
	// one it kept, naming it.
	k4 := unproven()
	e.DeleteAccessKey(t, "rot", k4)
	k5 := e.CreateAccessKey(t, "rot")
	r = hopNoTTY(t, setenv(env, "AWS_ACCESS_KEY_ID="+k5.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+k5.SecretAccessKey), "add", "rot", "--env", "--force")
	if r.code != 0 || !strings.Contains(r.stderr, "dropped the key "+k3) {
		t.Errorf("hop add after a stopped rotation: exit %d: %q; want it to name %s as dropped", r.code, r.stderr, k3)
	}
	e.DeleteAccessKey(t, "rot", k3)
	if r := hopNoTTY(t, env, "rotate", "rot"); r.code != 0 || storedKeyID(t, env, "rot") == k5.AccessKeyID {
		t.Errorf("rotate after hop add: exit %d: %q; want a plain rotation of %s", r.code, r.stderr, k5.AccessKeyID)
	}
}
