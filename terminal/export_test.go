package terminal

// SetCrashPoint installs the hook called at each step of a request and of
// a queue delivery (tests kill the process there).
func SetCrashPoint(f func(step string)) { crashPoint = f }
