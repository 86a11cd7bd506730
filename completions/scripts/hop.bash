# bash completion for hop.
# hop answers completion requests itself (complete -C), so this file stays
# static and nothing runs when the shell starts. When hop has nothing to
# offer, as for the command after `hop exec PROFILE`, bash completes file names.
complete -o default -C hop hop
