package directory

import (
	"context"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/cityhall-khv/cityhall/services/platform/svc"
)

// Follow keeps service's read copy of the directory (its consumer on the DIRECTORY stream) and
// holds the service not ready (gRPC health NOT_SERVING) until the copy has arrived: with an
// empty copy every department is unknown and every clerk would be refused.
func Follow(rt *svc.Runtime, service string) {
	rt.Server.Health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	rt.Go("directory-ready", func(ctx context.Context) error {
		if WaitFilled(ctx, rt.Pool) == nil {
			rt.Server.Health.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
		}
		return nil
	})
	rt.Consume(Consumer(service), Apply)
}
