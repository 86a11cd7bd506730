# bash completion for hop.
# hop answers completion requests itself (complete -C), so this file stays
# static and nothing runs when the shell starts. When hop has nothing to
# offer, as for the command after `hop exec PROFILE`, bash completes file names.
# bash inserts answers as they are written: HOP_COMPLETE=bash has hop quote
# them, so a profile called 'ops&dev' or '$(cmd)' stays one word.
complete -o default -C 'HOP_COMPLETE=bash hop' hop
