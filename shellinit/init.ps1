# hop's prompt segment for PowerShell (pwsh 7, and Windows PowerShell 5.1).
# Load it from $PROFILE with:
#
#     hop init pwsh | Out-String | Invoke-Expression
#
# Inside a hop environment the prompt starts with "(profile account 52m)".
# Set $Env:HOP_PROMPT = '0' before that line to keep your prompt untouched
# (oh-my-posh, starship...), and $Env:NO_COLOR = '1' to drop the colours.
#
# In a hop shell, the same hook renews the shell's credentials when they have
# under ten minutes left, HOP_PROMPT=0 or not; HOP_RENEW=0 turns that off.
#
# How it stays out of the way:
# - It wraps the prompt function it finds, once: loading it again wraps
#   nothing more. The prompt you had still builds the rest of the line,
#   and sees the $LASTEXITCODE your last command left.
# - The segment is text the prompt returns, never code: a profile named
#   $(Remove-Item ~) is shown, not run, and control characters show as ?.
# - hop renew's output is run only line by line, and only when every line is
#   one of the assignments it prints (fixed names, values in ASCII quotes).

if ($null -eq (Get-Variable -Name __hop_inner_prompt -Scope Global -ErrorAction Ignore)) {
	$global:__hop_inner_prompt = $function:prompt
}

# The only lines hop renew --shell pwsh prints: a variable of the renewal
# set to a single-quoted ASCII string, with [char] codes and strings joined
# on by +, or removed.
$global:__hop_renewal_line = @'
^(\$Env:(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_CREDENTIAL_EXPIRATION|AWS_SESSION_EXPIRATION|HOP_EXPIRES_AT) = '([ -&(-~]|'')*'( \+ ('([ -&(-~]|'')*'|\[char\]0x[0-9A-F]{4}))*|Remove-Item -LiteralPath Env:(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_CREDENTIAL_EXPIRATION|AWS_SESSION_EXPIRATION|HOP_EXPIRES_AT) -ErrorAction Ignore)$
'@

# __hop_off is true for the values that turn a HOP_ switch off.
function global:__hop_off([string]$value) {
	return $value -in @('0', 'false', 'no', 'off')
}

# __hop_expires is HOP_EXPIRES_AT when it is plain decimal seconds, else 0.
function global:__hop_expires {
	$expires = [string]$Env:HOP_EXPIRES_AT
	if ($expires -cmatch '^[1-9][0-9]{0,11}$') { return [long]$expires }
	return [long]0
}

# __hop_renew replaces the shell's credentials when they have under ten
# minutes left: one hop process, once per expiry, which reads hop's cache or
# fetches without asking anything; when a person is needed it prints one
# line saying what to run. A credential server's shell has nothing to renew.
function global:__hop_renew {
	if (-not $Env:HOP_PROFILE -or $Env:HOP_SERVER -or (__hop_off $Env:HOP_RENEW)) { return }
	$expires = __hop_expires
	if ($expires -eq 0 -or $expires -eq $global:__hop_renewed_for) { return }
	if ($expires - [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() -ge 600) { return }
	$global:__hop_renewed_for = $expires
	$lines = @(& hop renew --hook --shell pwsh '--' $Env:HOP_PROFILE)
	if ($LASTEXITCODE -ne 0) { return }
	foreach ($line in $lines) {
		if ($line -cnotmatch $global:__hop_renewal_line) { return }
	}
	foreach ($line in $lines) { Invoke-Expression $line }
}

# __hop_segment is "(profile account 52m)", "(profile account auto-renew)"
# in a credential server's shell, or "" outside a hop environment, with its
# colour when it warns.
function global:__hop_segment {
	if (-not $Env:HOP_PROFILE) { return '' }
	$text = $Env:HOP_PROFILE
	if ($Env:HOP_ACCOUNT_ID) { $text += ' ' + $Env:HOP_ACCOUNT_ID }
	$style = ''
	$expires = __hop_expires
	if ($Env:HOP_SERVER) {
		$text += ' auto-renew'
	} elseif ($expires -ne 0) {
		$left = $expires - [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
		if ($left -le 0) {
			$text += ' expired'; $style = 31
		} elseif ($left -lt 60) {
			$text += " ${left}s"; $style = 33
		} elseif ($left -lt 3600) {
			$text += ' ' + [math]::Floor($left / 60) + 'm'
			if ($left -lt 300) { $style = 33 }
		} else {
			$text += ' ' + [math]::Floor($left / 3600) + 'h' + ([math]::Floor($left / 60) % 60).ToString('00') + 'm'
		}
	}
	# A control character in a name could drive the terminal.
	$text = '(' + ($text -replace '\p{Cc}', '?') + ')'
	if ($style -and -not $Env:NO_COLOR) {
		$esc = [char]27
		$text = "$esc[${style}m$text$esc[39m"
	}
	return $text
}

function global:prompt {
	$status = $global:LASTEXITCODE
	# Renewal comes first, so the segment shows the new time.
	__hop_renew
	$global:LASTEXITCODE = $status
	$rest = if ($global:__hop_inner_prompt) { & $global:__hop_inner_prompt } else { 'PS ' + $PWD.Path + '> ' }
	$global:LASTEXITCODE = $status
	if (__hop_off $Env:HOP_PROMPT) { return $rest }
	$segment = __hop_segment
	if (-not $segment) { return $rest }
	return $segment + ' ' + $rest
}
