# hop's prompt segment for zsh. Load it from ~/.zshrc with:
#
#     eval "$(hop init zsh)"
#
# Inside a hop environment the prompt starts with "(profile account 52m)".
# Set HOP_PROMPT=0 before that line to keep your prompt untouched
# (powerlevel10k, starship...), and NO_COLOR=1 to drop the colours.
#
# In a hop shell, the same hook renews the shell's credentials when they have
# under ten minutes left, HOP_PROMPT=0 or not; HOP_RENEW=0 turns that off.
#
# How it stays out of the way:
# - The segment is rebuilt from the HOP_* variables at each prompt by a precmd
#   hook that forks nothing: the clock is zsh/datetime's $EPOCHSECONDS.
# - With prompt_subst on, PROMPT gets only the text ${_hop_ps1}: zsh expands
#   that once and does not expand the value again, so a profile named
#   $(rm -rf ~) is shown, never run. With prompt_subst off the segment goes in
#   as text. Either way % (and ! under prompt_bang) is doubled, since the
#   result still goes through prompt expansion (without prompt_percent, %
#   stays as it is, and there are no colours).
# - The hook runs last among precmd_functions, so it decorates the prompt your
#   theme built, and it removes what it added before adding it again.

# _hop_renew replaces the shell's credentials when they have under ten
# minutes left: one hop process, which reads hop's cache (another process may
# have renewed already) or fetches without asking anything; when a person is
# needed it prints one line saying what to run. It runs once per expiry, so a
# failure is not repeated at every prompt, and an ordinary prompt forks
# nothing. A credential server's shell (HOP_SERVER) has nothing to renew. It
# expects the caller's emulate -L zsh.
_hop_renew() {
	[[ -n ${HOP_PROFILE-} && -z ${HOP_SERVER-} ]] || return 0
	[[ ${HOP_RENEW-} == (0|false|no|off) ]] && return 0
	local expires=${HOP_EXPIRES_AT-} now=${EPOCHSECONDS-} out
	[[ $expires == <-> && $expires != 0* && ${#expires} -le 12 && $now == <-> ]] || return 0
	[[ $expires != "${_hop_renewed_for-}" ]] || return 0
	((expires - now < 600)) || return 0
	typeset -g _hop_renewed_for=$expires
	# hop prints only assignments to fixed names, each value single-quoted.
	out=$(command hop renew --hook --shell zsh -- "$HOP_PROFILE") && eval "$out"
}

# _hop_segment sets _hop_text to "(profile account 52m)", "(profile account
# auto-renew)" in a credential server's shell, or nothing outside a hop
# environment, and _hop_style to "", "warn" (under five minutes left) or
# "expired". It expects the caller's emulate -L zsh.
_hop_segment() {
	_hop_text= _hop_style=
	[[ -n ${HOP_PROFILE-} ]] || return 0
	local text=$HOP_PROFILE expires=${HOP_EXPIRES_AT-} now=${EPOCHSECONDS-} left minutes
	[[ -n ${HOP_ACCOUNT_ID-} ]] && text+=" $HOP_ACCOUNT_ID"
	# The server keeps the child's credentials fresh: no countdown to show.
	[[ -n ${HOP_SERVER-} ]] && expires= text+=" auto-renew"
	# Only plain decimal seconds may reach $(( )): zsh evaluates names and
	# subscripts found there, so a value like a[$(cmd)] would run cmd.
	if [[ $expires == <-> && $expires != 0* && ${#expires} -le 12 && $now == <-> ]]; then
		left=$((expires - now))
		if ((left <= 0)); then
			text+=" expired" _hop_style=expired
		elif ((left < 60)); then
			text+=" ${left}s" _hop_style=warn
		elif ((left < 3600)); then
			text+=" $((left / 60))m"
			((left < 300)) && _hop_style=warn
		else
			minutes=$((left / 60 % 60))
			((minutes < 10)) && minutes=0$minutes
			text+=" $((left / 3600))h${minutes}m"
		fi
	fi
	# A control character in a name could drive the terminal.
	_hop_text="(${text//[[:cntrl:]]/?})"
}

# _hop_precmd is the precmd hook. It keeps $? for the hooks after it and for a
# prompt that shows the last status.
_hop_precmd() {
	local last_status=$? subst= bang= percent=
	# Read before emulate -L zsh resets them for this function.
	[[ -o promptsubst ]] && subst=1
	[[ -o promptbang ]] && bang=1
	[[ -o promptpercent ]] && percent=1
	emulate -L zsh
	# Something added to precmd_functions after hop's init, such as a theme that
	# rebuilds PROMPT, would undo the segment: move behind it. zsh has already
	# copied the list it is running, so this counts from the next prompt.
	[[ ${precmd_functions[-1]} == _hop_precmd ]] ||
		precmd_functions=(${precmd_functions:#_hop_precmd} _hop_precmd)
	# Renewal comes first, so the segment shows the new time.
	_hop_renew
	local ps1=${PS1//'${_hop_ps1}'/} seg
	if [[ -n ${_hop_inline-} ]]; then
		ps1=${ps1//"$_hop_inline"/}
		_hop_inline=
	fi
	_hop_ps1=
	_hop_text=
	[[ ${HOP_PROMPT-} == (0|false|no|off) ]] || _hop_segment
	if [[ -n $_hop_text ]]; then
		seg=$_hop_text
		[[ -n $bang ]] && seg=${seg//\!/!!}
		# Without prompt_percent, % is plain text and there is no way to mark
		# colours as zero-width: the segment goes in as it is, uncoloured.
		if [[ -n $percent ]]; then
			seg=${seg//\%/%%}
			if [[ -z ${NO_COLOR-} ]]; then
				case $_hop_style in
				warn) seg="%F{yellow}$seg%f" ;;
				expired) seg="%F{red}$seg%f" ;;
				esac
			fi
		fi
		if [[ -n $subst ]]; then
			_hop_ps1="$seg "
			ps1='${_hop_ps1}'$ps1
		else
			_hop_inline="$seg "
			ps1=$_hop_inline$ps1
		fi
	fi
	[[ $ps1 == "$PS1" ]] || PS1=$ps1
	return last_status
}

() {
	emulate -L zsh
	[[ ${HOP_PROMPT-} == (0|false|no|off) && ${HOP_RENEW-} == (0|false|no|off) ]] && return
	# Loads only the $EPOCHSECONDS parameter, not strftime and friends. Without
	# the module the segment simply leaves the countdown out.
	zmodload -F zsh/datetime +p:EPOCHSECONDS 2>/dev/null
	typeset -ga precmd_functions
	((${precmd_functions[(I)_hop_precmd]})) || precmd_functions+=(_hop_precmd)
}
