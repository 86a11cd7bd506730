package cli

import "github.com/alecthomas/kong"

// HelpCmd is `hop help [COMMAND]`, the same as `hop [COMMAND] --help`.
type HelpCmd struct {
	Command []string `arg:"" optional:"" help:"The command to explain, e.g. exec or sso sync."`
}

func (h *HelpCmd) Run(k *kong.Kong) error {
	ctx, err := kong.Trace(k, h.Command)
	if err == nil {
		err = ctx.Error
	}
	if err != nil {
		return &usageError{err: err, ctx: ctx}
	}
	return ctx.PrintUsage(false)
}
