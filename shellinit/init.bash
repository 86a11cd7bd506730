# hop's prompt segment for bash. Load it from ~/.bashrc with:
#
#     eval "$(hop init bash)"
#
# Inside a hop environment the prompt starts with "(profile account 52m)".
# Set HOP_PROMPT=0 before that line to keep your prompt untouched (starship,
# oh-my-posh...), and NO_COLOR=1 to drop the colours.
#
# In a hop shell, the same hook renews the shell's credentials when they have
# under ten minutes left, HOP_PROMPT=0 or not; HOP_RENEW=0 turns that off.
#
# How it stays out of the way:
# - The segment is rebuilt from the HOP_* variables at each prompt by a hook
#   that forks nothing: the clock is $EPOCHSECONDS (bash 5) or printf's %(%s)T
#   (bash 4.2+); bash 3.2 has neither, and there the countdown is left out.
# - PS1 gets only the text ${__hop_ps1}; the segment lives in that variable,
#   and bash does not expand a variable's value again, so a profile named
#   $(rm -rf ~) is shown, never run.
# - The hook runs last in PROMPT_COMMAND, so it decorates the prompt your theme
#   built, and it removes what it added before adding it again.

# __hop_disabled succeeds when the user asked hop to leave the prompt alone.
__hop_disabled() {
	case ${HOP_PROMPT-} in
	0 | false | no | off) return 0 ;;
	esac
	return 1
}

# __hop_renew_disabled succeeds when the user turned renewal off.
__hop_renew_disabled() {
	case ${HOP_RENEW-} in
	0 | false | no | off) return 0 ;;
	esac
	return 1
}

# __hop_renew replaces the shell's credentials when they have under ten
# minutes left: one hop process, which reads hop's cache (another process may
# have renewed already) or fetches without asking anything; when a person is
# needed it prints one line saying what to run. It runs once per expiry, so a
# failure is not repeated at every prompt, and an ordinary prompt forks
# nothing. A credential server's shell (HOP_SERVER) has nothing to renew.
__hop_renew() {
	[[ -n ${HOP_PROFILE-} && -z ${HOP_SERVER-} ]] || return 0
	__hop_renew_disabled && return 0
	local expires=${HOP_EXPIRES_AT-} now out
	[[ -n $expires && $expires != *[!0-9]* && $expires != 0* && ${#expires} -le 12 ]] || return 0
	[[ $expires != "${__hop_renewed_for-}" ]] || return 0
	now=${EPOCHSECONDS-}
	if [[ -z $now && -n $__hop_printf_clock ]]; then
		printf -v now '%(%s)T' -1
	fi
	[[ -n $now && $now != *[!0-9]* ]] && ((expires - now < 600)) || return 0
	__hop_renewed_for=$expires
	# hop prints only assignments to fixed names, each value single-quoted.
	out=$(command hop renew --hook --shell bash -- "$HOP_PROFILE") && eval "$out"
}

# __hop_segment sets __hop_text to "(profile account 52m)", "(profile account
# auto-renew)" in a credential server's shell, or nothing outside a hop
# environment, and __hop_style to "", "warn" (under five minutes left) or
# "expired".
__hop_segment() {
	__hop_text= __hop_style=
	[[ -n ${HOP_PROFILE-} ]] || return 0
	local text=$HOP_PROFILE expires=${HOP_EXPIRES_AT-} now left minutes
	[[ -n ${HOP_ACCOUNT_ID-} ]] && text+=" $HOP_ACCOUNT_ID"
	# The server keeps the child's credentials fresh: no countdown to show.
	[[ -n ${HOP_SERVER-} ]] && expires= text+=" auto-renew"
	# Only plain decimal seconds may reach $(( )): bash evaluates names and
	# subscripts found there, so a value like a[$(cmd)] would run cmd.
	if [[ -n $expires && $expires != *[!0-9]* && $expires != 0* && ${#expires} -le 12 ]]; then
		now=${EPOCHSECONDS-}
		if [[ -z $now && -n $__hop_printf_clock ]]; then
			printf -v now '%(%s)T' -1
		fi
		if [[ -n $now && $now != *[!0-9]* ]]; then
			left=$((expires - now))
			if ((left <= 0)); then
				text+=" expired" __hop_style=expired
			elif ((left < 60)); then
				text+=" ${left}s" __hop_style=warn
			elif ((left < 3600)); then
				text+=" $((left / 60))m"
				((left < 300)) && __hop_style=warn
			else
				minutes=$((left / 60 % 60))
				((minutes < 10)) && minutes=0$minutes
				text+=" $((left / 3600))h${minutes}m"
			fi
		fi
	fi
	# A control character in a name could drive the terminal, or fake the
	# \001 \002 markers readline uses to measure the prompt.
	__hop_text="(${text//[[:cntrl:]]/?})"
}

# __hop_prompt_command is the PROMPT_COMMAND hook. It keeps $? for whatever
# runs after it and for a PS1 that shows the last status.
__hop_prompt_command() {
	local last_status=$? ps1 text start= end=
	__hop_stay_last
	# Renewal comes first, so the segment shows the new time.
	__hop_renew
	ps1=${PS1-}
	ps1=${ps1//'${__hop_ps1}'/}
	if [[ -n ${__hop_inline-} ]]; then
		ps1=${ps1//"$__hop_inline"/}
		__hop_inline=
	fi
	__hop_ps1=
	if ! __hop_disabled; then
		__hop_segment
	else
		__hop_text=
	fi
	if [[ -z $__hop_text ]]; then
		:
	elif shopt -q promptvars || shopt -qo posix; then
		# PS1 is expanded (POSIX mode does so even without promptvars), and a
		# variable's value is never decoded or expanded again: it needs no
		# quoting, and readline's markers go in as bytes.
		if [[ -z ${NO_COLOR-} ]]; then
			case $__hop_style in
			warn) start=$'\001\e[33m\002' end=$'\001\e[39m\002' ;;
			expired) start=$'\001\e[31m\002' end=$'\001\e[39m\002' ;;
			esac
		fi
		__hop_ps1="$start$__hop_text$end "
		ps1='${__hop_ps1}'$ps1
	else
		# Unexpanded, a reference would show as text, so the segment goes in
		# itself, with the backslashes that bash decodes in PS1 doubled.
		text=${__hop_text//"\\"/"\\\\"}
		if [[ -z ${NO_COLOR-} ]]; then
			case $__hop_style in
			warn) start='\[\e[33m\]' end='\[\e[39m\]' ;;
			expired) start='\[\e[31m\]' end='\[\e[39m\]' ;;
			esac
		fi
		__hop_inline="$start$text$end "
		ps1=$__hop_inline$ps1
	fi
	# Assigning only on change leaves an unset PS1 unset outside hop.
	[[ $ps1 == "${PS1-}" ]] || PS1=$ps1
	return "$last_status"
}

# __hop_stay_last moves the hook behind anything added to PROMPT_COMMAND after
# hop's init, such as a theme that rebuilds PS1. A move takes effect from the
# next prompt: bash has already copied the list it is running.
__hop_stay_last() {
	if [[ -n $__hop_preexec ]]; then
		# bash-preexec runs its precmd_functions from PROMPT_COMMAND.
		local n=${#precmd_functions[@]}
		((n)) && [[ ${precmd_functions[n - 1]} == __hop_prompt_command ]] && return 0
		local fn kept=()
		for fn in "${precmd_functions[@]}"; do
			[[ $fn == __hop_prompt_command ]] || kept+=("$fn")
		done
		precmd_functions=("${kept[@]}" __hop_prompt_command)
		return 0
	fi
	# bash-preexec, sourced after hop, wraps PROMPT_COMMAND and relies on its
	# own order; leave it be.
	[[ ${PROMPT_COMMAND[*]-} == *__bp_precmd_invoke_cmd* ]] && return 0
	if [[ -n $__hop_array_prompt_command && -n ${PROMPT_COMMAND+set} && ${PROMPT_COMMAND@a} == *a* ]]; then
		local n=${#PROMPT_COMMAND[@]}
		((n)) && [[ ${PROMPT_COMMAND[n - 1]} == __hop_prompt_command ]] && return 0
		local entry entries=()
		for entry in "${PROMPT_COMMAND[@]}"; do
			[[ $entry == __hop_prompt_command ]] || entries+=("$entry")
		done
		PROMPT_COMMAND=("${entries[@]}" __hop_prompt_command)
		return 0
	fi
	local commands=${PROMPT_COMMAND-}
	while [[ $commands == *[\;[:space:]] ]]; do
		commands=${commands%?}
	done
	case $commands in
	__hop_prompt_command | *[\;[:space:]]__hop_prompt_command) return 0 ;;
	esac
	# hop adds itself as a line of its own, so that is the form it removes.
	commands=$'\n'${PROMPT_COMMAND-}$'\n'
	while [[ $commands == *$'\n'__hop_prompt_command$'\n'* ]]; do
		commands=${commands/$'\n'__hop_prompt_command$'\n'/$'\n'}
	done
	commands=${commands#$'\n'}
	commands=${commands%$'\n'}
	PROMPT_COMMAND=${commands:+$commands$'\n'}__hop_prompt_command
}

# Once per shell: pick the clock and the hook's home, then install the hook
# unless HOP_PROMPT says not to.
if ((BASH_VERSINFO[0] > 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] >= 2))); then
	__hop_printf_clock=1
else
	__hop_printf_clock=
fi
if ((BASH_VERSINFO[0] > 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] >= 1))); then
	__hop_array_prompt_command=1
else
	__hop_array_prompt_command=
fi
if declare -F __bp_precmd_invoke_cmd >/dev/null && [[ ${PROMPT_COMMAND[*]-} != *__hop_prompt_command* ]]; then
	# bash-preexec is already in charge of PROMPT_COMMAND: use its hook list,
	# or its DEBUG trap would take hop's hook for a command the user typed.
	__hop_preexec=1
else
	__hop_preexec=
fi
if ! __hop_disabled || ! __hop_renew_disabled; then
	__hop_stay_last
fi
