// Package job runs a child of hop's as a shell runs a foreground job: in a
// process group of its own, holding the terminal while it runs when hop
// holds it, so that the keys the user presses (Ctrl-C, Ctrl-\, Ctrl-Z)
// signal the child alone, and hop takes the terminal back, in the modes it
// lent it, when the child ends. The front does not link it: a warm exec
// replaces the front with its child.
package job
