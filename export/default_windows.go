package export

// DefaultFormat is PowerShell's: Windows has no POSIX shell to read env.
const DefaultFormat = "powershell"
