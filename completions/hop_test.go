//go:build e2e

package completions

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hop-cli/hop/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }

// TestScriptsParse has each shell check its script's syntax without running it.
func TestScriptsParse(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			path, err := exec.LookPath(shell)
			if err != nil {
				t.Skipf("%s not installed", shell)
			}
			var script bytes.Buffer
			if err := Write(&script, shell); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(path, "-n")
			cmd.Stdin = &script
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s -n: %v\n%s", shell, err, out)
			}
		})
	}
}

// TestCompletionRequest runs the built binary the way bash's `complete -C`
// does, with the line in COMP_LINE.
func TestCompletionRequest(t *testing.T) {
	hop := testenv.Hop(t)
	home := t.TempDir()
	writeAWSFiles(t, home)
	tests := []struct {
		line string
		want []string
	}{
		{"hop exe", []string{"exec"}},
		{"hop ex", []string{"exec", "explain", "export"}},
		{"hop init ", []string{"bash", "fish", "pwsh", "zsh"}},
		{"hop completions z", []string{"zsh"}},
		{"hop exec req", []string{"requires3"}},
		{"hop exec ", []string{"default", "example", "other", "requires3", "static-keys"}},
		{"hop --debug exec o", []string{"other"}},
		{"hop exec example aws s3 l", nil},
		{"hop exec --region us-gov-", []string{"us-gov-east-1", "us-gov-west-1"}},
		{"hop export --region eu-west-", []string{"eu-west-1", "eu-west-2", "eu-west-3"}},
		{"hop login --sso-session ", []string{"corp"}},
		{"hop sso sync --sso-session c", []string{"corp"}},
		{"hop exec --backend fi", []string{"file"}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			cmd := exec.Command(hop, "hop")
			cmd.Env = []string{"HOME=" + home, "COMP_LINE=" + tt.line, "COMP_POINT=" + fmt.Sprint(len(tt.line))}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("hop: %v\n%s", err, stderr.Bytes())
			}
			got := strings.Fields(string(out))
			if !sameSet(got, tt.want) {
				t.Errorf("COMP_LINE=%q gives %q, want %q", tt.line, got, tt.want)
			}
		})
	}
}

// TestFrontCompletesAsCore: the front answers TAB on exec's profile
// argument itself, and must answer every request exactly as hop-core's
// kong-driven completer would, or leave it to hop-core.
func TestFrontCompletesAsCore(t *testing.T) {
	front := testenv.Hop(t)
	core := filepath.Join(filepath.Dir(filepath.Dir(front)), "libexec", "hop", "hop-core")
	home := t.TempDir()
	writeAWSFiles(t, home)
	f, err := os.OpenFile(filepath.Join(home, ".aws", "credentials"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(f, "[my team]\n[ops&dev]\n[it's]\n")
	f.Close()
	for _, line := range []string{
		"hop exec ", "hop exec r", "hop exec requires3", "hop exec nosuch", "hop exec -", "hop exec --r",
		"hop exec requires3 ", "hop  exec\tex", "hop exec a=b", "hop exec x=", "hop exec example aws", "hop list ",
		"hop exec\t", "hop exec re quires3", `hop exec my\ t`, "hop exec 'my t", `hop exec "my t`, "hop exec o", "hop exec 'it",
		"hop --backend=f", "hop exec --backend ", "hop exec --region us-", "hop login --sso-session ",
	} {
		line = strings.ReplaceAll(line, `\t`, "\t")
		for _, point := range []int{len(line), len(line) - 1, -1} {
			for _, shell := range []string{"", "bash", "zsh", "fish"} {
				answer := func(bin string) string {
					cmd := exec.Command(bin)
					cmd.Env = []string{"HOME=" + home, "COMP_LINE=" + line, "COMP_POINT=" + fmt.Sprint(point), "HOP_COMPLETE=" + shell}
					if shell == "bash" {
						// As bash's complete -C runs it: the command, the
						// text to replace (here: after the last blank), the
						// word before.
						upto := line
						if point >= 0 && point < len(line) {
							upto = line[:point]
						}
						text := upto[strings.LastIndexAny(upto, " \t")+1:]
						cmd.Args = []string{"hop", "hop", text, "exec"}
					}
					out, err := cmd.Output()
					if err != nil {
						t.Fatalf("%s with COMP_LINE=%q: %v", bin, line, err)
					}
					// kongplete lists flags in map order; shells sort.
					lines := strings.Split(string(out), "\n")
					slices.Sort(lines)
					return strings.Join(lines, "\n")
				}
				if f, c := answer(front), answer(core); f != c {
					t.Errorf("COMP_LINE=%q COMP_POINT=%d HOP_COMPLETE=%s: the front answers %q, hop-core %q", line, point, shell, f, c)
				}
			}
		}
	}
}

// writeAWSFiles writes the config and credentials the end-to-end tests
// share: three SSO-style profiles and a default in the config, sections that
// are not profiles, and a static-keys profile in the credentials file.
func writeAWSFiles(t *testing.T, home string) {
	t.Helper()
	dir := filepath.Join(home, ".aws")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	config := `[default]
region = eu-west-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile example]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile requires3]
role_arn = arn:aws:iam::222222222222:role/s3-reader
source_profile = example

# [profile commented-out]
[profile other]
sso_session = corp
sso_account_id = 333333333333
sso_role_name = Admin

[services local]
s3 =
  endpoint_url = http://127.0.0.1:5000
`
	credentials := "[static-keys]\naws_access_key_id = AKIAEXAMPLEEXAMPLE00\n"
	for name, content := range map[string]string{"config": config, "credentials": credentials} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func sameSet(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	seen := map[string]int{}
	for _, g := range got {
		seen[g]++
	}
	for _, w := range want {
		if seen[w] == 0 {
			return false
		}
		seen[w]--
	}
	return true
}
