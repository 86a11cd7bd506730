package completions

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestProfileNames(t *testing.T) {
	tests := []struct {
		name        string
		config      string // "" leaves the file missing
		credentials string
		want        []string
	}{
		{
			name:   "profile and default",
			config: "[default]\nregion = eu-west-1\n\n[profile a]\nregion = us-east-1\n",
			want:   []string{"a", "default"},
		},
		{
			name:   "blanks inside the brackets are part of the header, as in the AWS CLI",
			config: "[ profile  spaced ]  \n[profile\ttabbed]\n[ default ]\n[profile  two]\n",
			want:   []string{"tabbed", "two"},
		},
		{
			name:   "comments",
			config: "# [profile hash-comment]\n; [profile semicolon-comment]\n  # [profile indented-comment]\n[profile kept] # trailing\n[profile also-kept] ; trailing\nrole_arn = x # [profile in-value]\n",
			want:   []string{"also-kept", "kept"},
		},
		{
			name:   "sso-session, services and bare sections are not profiles in config",
			config: "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\n[services s3-local]\ns3 =\n  endpoint_url = http://127.0.0.1:5000\n[plain]\n[profile]\n[profile real]\n",
			want:   []string{"real"},
		},
		{
			name:        "credentials sections are profile names, whole",
			credentials: "[default]\naws_access_key_id = AKIDEXAMPLE\n[static]\n[ spaced  name ]\n",
			want:        []string{" spaced  name ", "default", "static"},
		},
		{
			name:        "duplicates merge across files and spellings",
			config:      "[profile dup]\n[profile  dup]\n[default]\n[profile default]\n[profile only-config]\n",
			credentials: "[dup]\n[default]\n[only-credentials]\n",
			want:        []string{"default", "dup", "only-config", "only-credentials"},
		},
		{
			name: "both files missing",
			want: nil,
		},
		{
			name:        "CRLF line endings",
			config:      "[profile win]\r\nregion = eu-west-1\r\n[default]\r\n",
			credentials: "[crlf-creds]\r\n",
			want:        []string{"crlf-creds", "default", "win"},
		},
		{
			name:   "last line without newline",
			config: "[profile a]\nregion = x\n[profile last]",
			want:   []string{"a", "last"},
		},
		{
			name:   "not headers",
			config: "[profile open\nprofile closed]\n[]\n[ ]\nx = [profile in-value]\n  [profile continued]\n[DEFAULT]\n[profilex]\n",
			want:   nil,
		},
		{
			name:   "the header ends at the last ]",
			config: "[profile a#b]\n[profile c;d]\n[profile e] junk\n[profile f]g] h\n",
			want:   []string{"a#b", "c;d", "e", "f]g"},
		},
		{
			name:   "profile names are split as a shell would",
			config: "[profile two  words]\n[profile \"quoted  words\"]\n[profile escaped\\ word]\n",
			want:   []string{"escaped word", "quoted  words"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			configPath := writeIfSet(t, dir, "config", tt.config)
			credentialsPath := writeIfSet(t, dir, "credentials", tt.credentials)
			got, err := ProfileNames(configPath, credentialsPath)
			if err != nil {
				t.Fatalf("ProfileNames: %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ProfileNames = %q, want %q", got, tt.want)
			}
		})
	}
}

// An unreadable file is reported, but the other file's names still come back.
func TestProfileNamesUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	credentialsPath := writeIfSet(t, dir, "credentials", "[readable]\n")
	got, err := ProfileNames(dir, credentialsPath) // a directory cannot be read as a file
	if err == nil {
		t.Fatal("ProfileNames with a directory as config: want an error, got nil")
	}
	if !strings.Contains(err.Error(), "AWS_CONFIG_FILE") {
		t.Errorf("error %q does not say what to do", err)
	}
	if want := []string{"readable"}; !slices.Equal(got, want) {
		t.Errorf("ProfileNames = %q, want %q", got, want)
	}
}

func TestSharedFiles(t *testing.T) {
	tests := []struct {
		name            string
		env             map[string]string
		wantConfig      string
		wantCredentials string
		wantErr         bool
	}{
		{
			name:            "defaults under HOME",
			env:             map[string]string{"HOME": "/home/ada"},
			wantConfig:      "/home/ada/.aws/config",
			wantCredentials: "/home/ada/.aws/credentials",
		},
		{
			name:            "environment overrides",
			env:             map[string]string{"HOME": "/home/ada", "AWS_CONFIG_FILE": "/etc/aws/config", "AWS_SHARED_CREDENTIALS_FILE": "/etc/aws/creds"},
			wantConfig:      "/etc/aws/config",
			wantCredentials: "/etc/aws/creds",
		},
		{
			name:            "tilde in the environment",
			env:             map[string]string{"HOME": "/home/ada", "AWS_CONFIG_FILE": "~/work/aws-config", "AWS_SHARED_CREDENTIALS_FILE": "~"},
			wantConfig:      "/home/ada/work/aws-config",
			wantCredentials: "/home/ada",
		},
		{
			name:            "tilde only at the start",
			env:             map[string]string{"HOME": "/home/ada", "AWS_CONFIG_FILE": "rel/~/config"},
			wantConfig:      "rel/~/config",
			wantCredentials: "/home/ada/.aws/credentials",
		},
		{
			name:            "tilde user",
			env:             map[string]string{"HOME": "/home/ada", "AWS_CONFIG_FILE": "~root/.aws/config"},
			wantConfig:      rootHome(t) + "/.aws/config",
			wantCredentials: "/home/ada/.aws/credentials",
		},
		{
			name:    "no HOME and no override",
			env:     map[string]string{},
			wantErr: true,
		},
		{
			name:            "no HOME needed when both are set",
			env:             map[string]string{"AWS_CONFIG_FILE": "/c", "AWS_SHARED_CREDENTIALS_FILE": "/k"},
			wantConfig:      "/c",
			wantCredentials: "/k",
		},
		{
			name:    "unknown user",
			env:     map[string]string{"HOME": "/home/ada", "AWS_CONFIG_FILE": "~no-such-user-hop-test/config"},
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			config, credentials, err := SharedFiles(func(k string) string { return tt.env[k] })
			if tt.wantErr {
				if err == nil {
					t.Fatalf("SharedFiles = %q, %q, want an error", config, credentials)
				}
				return
			}
			if err != nil {
				t.Fatalf("SharedFiles: %v", err)
			}
			if config != tt.wantConfig || credentials != tt.wantCredentials {
				t.Errorf("SharedFiles = %q, %q, want %q, %q", config, credentials, tt.wantConfig, tt.wantCredentials)
			}
		})
	}
}

func writeIfSet(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if content == "" {
		return path
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func rootHome(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("/etc/passwd")
	if err != nil {
		t.Skip("no /etc/passwd to find root's home")
	}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Split(line, ":")
		if len(fields) > 5 && fields[0] == "root" {
			return fields[5]
		}
	}
	t.Skip("no root entry in /etc/passwd")
	return ""
}
