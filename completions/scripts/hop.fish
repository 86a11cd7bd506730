# fish completion for hop.
# hop answers completion requests itself: it reads the line up to the cursor
# from COMP_LINE, as bash passes it to a `complete -C` command.
# HOP_COMPLETE=fish: hop writes a description after a tab, as fish reads it.
function __hop_complete
    set -lx COMP_LINE (commandline -cp)
    set -lx HOP_COMPLETE fish
    set -l candidates (command hop 2>/dev/null)
    if set -q candidates[1]
        printf '%s\n' $candidates
    else
        # Nothing from hop, as for the command after `hop exec PROFILE`: offer files.
        __fish_complete_path (commandline -ct)
    end
end

complete -c hop -f -a '(__hop_complete)'
