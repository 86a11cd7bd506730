package config_test

import (
	"fmt"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
)

func init() {
	config.Resolve = func(cfg *config.Config, profile string) (string, error) {
		c, err := creds.Resolve(cfg, profile)
		if err != nil {
			return "", err
		}
		key := creds.SessionKey(c, len(c.Hops)-1, func(string) string { return "" })
		return fmt.Sprintf("%s (%s, cache key %s)", c, c.Region, key), nil
	}
}
