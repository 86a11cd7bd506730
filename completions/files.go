package completions

import (
	"errors"
	"fmt"
	"os/user"
	"path/filepath"
	"strings"
)

// SharedFiles returns the paths of the shared config and credentials files
// the way the AWS CLI finds them: AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE when set, else ~/.aws/config and
// ~/.aws/credentials, with a leading ~ or ~user expanded. getenv is
// os.Getenv outside tests.
func SharedFiles(getenv func(string) string) (configPath, credentialsPath string, err error) {
	configPath, err = expandHome(envOr(getenv, "AWS_CONFIG_FILE", "~/.aws/config"), getenv)
	if err != nil {
		return "", "", err
	}
	credentialsPath, err = expandHome(envOr(getenv, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"), getenv)
	if err != nil {
		return "", "", err
	}
	return configPath, credentialsPath, nil
}

func envOr(getenv func(string) string, key, fallback string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return fallback
}

// expandHome expands "~" and "~user" at the start of path, as Python's
// os.path.expanduser does for the AWS CLI; other paths pass through.
func expandHome(path string, getenv func(string) string) (string, error) {
	if !strings.HasPrefix(path, "~") {
		return path, nil
	}
	who, rest, _ := strings.Cut(path[1:], "/")
	var home string
	if who == "" {
		home = getenv("HOME")
		if home == "" {
			return "", errors.New("find the AWS config: HOME is not set; set HOME, or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE")
		}
	} else {
		u, err := user.Lookup(who)
		if err != nil {
			return "", fmt.Errorf("expand %q: %w (use an absolute path in AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE)", path, err)
		}
		home = u.HomeDir
	}
	return filepath.Join(home, rest), nil
}
