package tty

import "os"

// open opens the console's input and screen buffers: /dev/tty never opens
// on Windows. Both are opened for reading and writing, as the console
// hands its own handles out.
func open() (in, out *os.File, err error) {
	in, err = os.OpenFile("CONIN$", os.O_RDWR, 0)
	if err != nil {
		return nil, nil, err
	}
	out, err = os.OpenFile("CONOUT$", os.O_RDWR, 0)
	if err != nil {
		in.Close()
		return nil, nil, err
	}
	return in, out, nil
}
