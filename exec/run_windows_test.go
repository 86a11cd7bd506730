package exec

import (
	"errors"
	"os"
	osexec "os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLookupShellIsComspec: with no command, hop exec starts the shell
// COMSPEC names, whatever SHELL says.
func TestLookupShellIsComspec(t *testing.T) {
	cmdExe, err := osexec.LookPath("cmd.exe")
	if err != nil {
		t.Skip("no cmd.exe")
	}
	vars := map[string]string{"COMSPEC": cmdExe, "SHELL": "/bin/bash"}
	c, err := Lookup(nil, func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.EqualFold(c.Path, cmdExe) || len(c.Args) != 1 || c.Args[0] != cmdExe {
		t.Errorf("Lookup = %q %q, want %s", c.Path, c.Args, cmdExe)
	}
}

// TestRunPassesTheStatusOn: hop exits with the child's status.
func TestRunPassesTheStatusOn(t *testing.T) {
	cmdExe, err := osexec.LookPath("cmd.exe")
	if err != nil {
		t.Skip("no cmd.exe")
	}
	err = Run(&Command{Path: cmdExe, Args: []string{cmdExe, "/c", "exit 7"}}, os.Environ())
	var exit *ExitError
	if !errors.As(err, &exit) || exit.Code != 7 {
		t.Errorf("Run = %v, want the child's status 7", err)
	}
}

// The roles the test binary plays in TestCtrlCReachesTheChild.
const roleVar, readyVar = "HOP_TEST_ROLE", "HOP_TEST_READY"

func TestMain(m *testing.M) {
	switch os.Getenv(roleVar) {
	case "hop":
		// hop exec: Run the child, and exit as main would.
		self, _ := os.Executable()
		env := append(os.Environ(), roleVar+"=child")
		err := Run(&Command{Path: self, Args: []string{self}}, env)
		var exit *ExitError
		if errors.As(err, &exit) {
			os.Exit(exit.Code)
		}
		os.Exit(99)
	case "child":
		// A child that ends on Ctrl-C, as it chooses, with status 42.
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, os.Interrupt)
		os.WriteFile(os.Getenv(readyVar), []byte("ready"), 0o600)
		select {
		case <-sigs:
			os.Exit(42)
		case <-time.After(time.Minute):
			os.Exit(98)
		}
	}
	os.Exit(m.Run())
}

// TestCtrlCReachesTheChild: a Ctrl-Break sent to the console group hop and
// its child share (Ctrl-C cannot be sent to a group alone; Go reads both as
// os.Interrupt) ends the child as it chooses, and hop exits with the
// child's status rather than dying of it first.
func TestCtrlCReachesTheChild(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// go test may run with no console (under Wine, or a CI service): make
	// one for hop and its child to share. It fails harmlessly when there
	// is one already.
	kernel32 := syscall.NewLazyDLL("kernel32.dll")
	kernel32.NewProc("AllocConsole").Call()
	ready := filepath.Join(t.TempDir(), "ready")
	hop := osexec.Command(self)
	hop.Env = append(os.Environ(), roleVar+"=hop", readyVar+"="+ready)
	if err := hop.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if time.Now().After(deadline) {
			hop.Process.Kill()
			t.Fatal("the child never started")
		}
	}
	generate := kernel32.NewProc("GenerateConsoleCtrlEvent")
	// The test survives the Ctrl-C it sends to the whole console.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	defer signal.Stop(sigs)
	if r, _, err := generate.Call(syscall.CTRL_C_EVENT, 0); r == 0 {
		hop.Process.Kill()
		t.Fatalf("sending Ctrl-Break: %v", err)
	}
	err = hop.Wait()
	if code := hop.ProcessState.ExitCode(); code != 42 {
		t.Errorf("hop exited %d (%v), want the child's 42", code, err)
	}
}
