// Package deploy holds no code: its tests validate what deploy/ ships. They render the Helm chart
// (helm/cityhall) with the Helm library for the default and the production values and decode every
// manifest strictly into its Kubernetes Go type, and they check the Dockerfile, the compose file
// and the Keycloak realm example. Run them with `go test ./...` in this directory.
package deploy
