//go:build !faultinject

package svc

import "log/slog"

// injectedFaults: a binary built without -tags faultinject has no fault injection at all.
func injectedFaults(string, *slog.Logger) faults { return faults{} }
