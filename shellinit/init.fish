# hop's prompt segment for fish. Load it from ~/.config/fish/config.fish with:
#
#     hop init fish | source
#
# Inside a hop environment the prompt starts with "(profile account 52m)".
# Set HOP_PROMPT=0 before that line to keep your prompt untouched (starship,
# tide...), and NO_COLOR=1 to drop the colours.
#
# How it stays out of the way:
# - At the first prompt, once config.fish has finished, your fish_prompt is
#   copied to __hop_user_prompt and fish_prompt becomes a wrapper that prints
#   the segment, then your prompt. That happens once per shell, so a tool that
#   wraps fish_prompt in turn (a Python venv's activate.fish) wraps hop's
#   wrapper and keeps it, and re-sourcing this never wraps a wrapper of hop's
#   own, which would call itself forever. A prompt you define later in the
#   session replaces the wrapper; start a new shell to get the segment back.
# - fish prints a prompt's output as text, so a profile named $(rm -rf ~) is
#   shown, never run.
# - fish has no clock variable. On Linux the time comes from /proc (boot time
#   plus uptime) through builtins, with no fork; elsewhere it costs one
#   `date +%s` per prompt.
# - In a hop shell, a fish_prompt event handler renews the shell's credentials
#   when they have under ten minutes left, HOP_PROMPT=0 or not; HOP_RENEW=0
#   turns that off. It forks once per renewal, never on an ordinary prompt.

function __hop_segment --description 'hop: print the prompt segment for the HOP_* variables'
    test -n "$HOP_PROFILE"; or return 0
    set -l text $HOP_PROFILE
    test -n "$HOP_ACCOUNT_ID"; and set text "$text $HOP_ACCOUNT_ID"
    set -l style
    if test -n "$HOP_SERVER"
        # The server keeps the child's credentials fresh: no countdown to show.
        set text "$text auto-renew"
    else if string match -qr '^[1-9][0-9]{0,11}$' -- "$HOP_EXPIRES_AT"
        set -l now (__hop_now)
        if string match -qr '^[0-9]+$' -- "$now"
            set -l left (math "$HOP_EXPIRES_AT - $now")
            if test $left -le 0
                set text "$text expired"
                set style red
            else if test $left -lt 60
                set text "$text $left"s
                set style yellow
            else if test $left -lt 3600
                set text "$text "(math "floor($left / 60)")m
                test $left -lt 300; and set style yellow
            else
                set text "$text "(printf '%dh%02dm' (math "floor($left / 3600)") (math "floor($left / 60) % 60"))
            end
        end
    end
    # A control character in a name could drive the terminal. Line and
    # paragraph separators count too, as they do for bash and zsh.
    set text "("(string replace -ra '[\p{Cc}\x{2028}\x{2029}]' '?' -- "$text")")"
    if test -n "$style" -a -z "$NO_COLOR"
        set_color $style
        printf '%s' $text
        set_color normal
        printf ' '
    else
        printf '%s ' $text
    end
end

function __hop_proc_now --description 'hop: unix time from /proc (boot time plus uptime), without forking'
    read -l up _ </proc/uptime; or return
    set -l boot (string replace -rf '^btime (\d+)$' '$1' </proc/stat); or return
    math "floor($boot + $up)"
end

function __hop_renew --description "hop: renew the shell's credentials when under ten minutes are left"
    test -n "$HOP_PROFILE" -a -z "$HOP_SERVER"; or return 0
    contains -- "$HOP_RENEW" 0 false no off; and return 0
    string match -qr '^[1-9][0-9]{0,11}$' -- "$HOP_EXPIRES_AT"; or return 0
    test "$HOP_EXPIRES_AT" != "$__hop_renewed_for"; or return 0
    set -l now (__hop_now)
    string match -qr '^[0-9]+$' -- "$now"; or return 0
    test (math "$HOP_EXPIRES_AT - $now") -lt 600; or return 0
    set -g __hop_renewed_for $HOP_EXPIRES_AT
    # hop prints only assignments to fixed names, each value single-quoted,
    # or nothing when it fails. The bytes go to source as they are: a
    # command substitution and printf would cut a value at a NUL, and its
    # closing quote with it.
    command hop renew --hook --shell fish -- $HOP_PROFILE | source
end

set -l __hop_prompt_on (not contains -- "$HOP_PROMPT" 0 false no off; and echo 1)
set -l __hop_renew_on (not contains -- "$HOP_RENEW" 0 false no off; and echo 1)

if test -n "$__hop_prompt_on$__hop_renew_on"; and not functions --query __hop_now
    # The /proc clock is used where it exists and agrees with date, checked
    # once here; otherwise each prompt forks date.
    set -l proc (test -r /proc/uptime -a -r /proc/stat; and __hop_proc_now)
    set -l date (date +%s)
    if string match -qr '^[0-9]+$' -- "$proc"; and test (math "abs($proc - $date)") -le 2
        function __hop_now
            __hop_proc_now
        end
    else
        function __hop_now
            date +%s
        end
    end
end

if test -n "$__hop_renew_on"
    # Before fish_prompt runs, so the segment shows the new time.
    function __hop_renew_hook --on-event fish_prompt
        __hop_renew
    end
end

if test -n "$__hop_prompt_on"; and not set -q __hop_wrapped
    function __hop_wrap_prompt --on-event fish_prompt --description 'hop: wrap fish_prompt, once, at the first prompt'
        # fish_prompt events come before fish_prompt runs, so the wrapper is in
        # place for this very prompt.
        functions --erase __hop_wrap_prompt
        set -g __hop_wrapped 1
        if functions --query fish_prompt
            functions --copy fish_prompt __hop_user_prompt
        else
            function __hop_user_prompt
            end
        end
        function fish_prompt --description 'hop: segment, then your prompt'
            # Your prompt runs first, while $status and $pipestatus are still
            # those of your last command; hop prints its segment before it.
            set -l prompt (__hop_user_prompt $argv | string collect --no-trim-newlines)
            contains -- "$HOP_PROMPT" 0 false no off; or __hop_segment
            printf '%s' $prompt
        end
    end
end
