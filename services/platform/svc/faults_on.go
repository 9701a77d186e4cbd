//go:build faultinject

package svc

import (
	"log/slog"
	"os"
	"strconv"
	"sync/atomic"

	"github.com/nats-io/nats.go/jetstream"
)

// Fault injection for the fault tests (cmd/cityhall/internal/faults). It is compiled only into
// binaries built with -tags faultinject, so no setting can make a production binary crash:
//
//	<PREFIX>FAULT_RELAY_EXIT_AFTER_ACK=N       the relay exits (status 137) after JetStream
//	                                           acked its Nth batch, before marking it sent
//	<PREFIX>FAULT_CONSUMER_EXIT_BEFORE_ACK=N   a consumer exits (status 137) after committing
//	                                           its Nth event, before acking it
func injectedFaults(prefix string, log *slog.Logger) faults {
	var f faults
	if n := faultCount(prefix + "FAULT_RELAY_EXIT_AFTER_ACK"); n > 0 {
		log.Warn("fault injection: the relay exits after the acks of a batch", "batch", n)
		var batches atomic.Int64
		f.relayAfterAck = func() error {
			if batches.Add(1) == n {
				log.Warn("fault injection: relay exits after the JetStream ack, before marking sent")
				os.Exit(137)
			}
			return nil
		}
	}
	if n := faultCount(prefix + "FAULT_CONSUMER_EXIT_BEFORE_ACK"); n > 0 {
		log.Warn("fault injection: a consumer exits after its commit, before the ack", "event", n)
		var events atomic.Int64
		f.consumerBeforeAck = func(jetstream.Msg) bool {
			if events.Add(1) == n {
				log.Warn("fault injection: consumer exits after the commit, before the ack")
				os.Exit(137)
			}
			return true
		}
	}
	return f
}

func faultCount(name string) int64 {
	n, _ := strconv.ParseInt(os.Getenv(name), 10, 64)
	return n
}
