module github.com/cityhall-khv/cityhall/cmd/cityhall

go 1.26.0

require (
	github.com/cityhall-khv/cityhall/gateway v0.0.0
	github.com/cityhall-khv/cityhall/proto/gen/go v0.0.0
	github.com/cityhall-khv/cityhall/services/appeals v0.0.0
	github.com/cityhall-khv/cityhall/services/planning v0.0.0
	github.com/cityhall-khv/cityhall/services/platform v0.0.0
)

require github.com/google/uuid v1.6.0 // indirect

replace (
	github.com/cityhall-khv/cityhall/gateway => ../../gateway
	github.com/cityhall-khv/cityhall/proto/gen/go => ../../proto/gen/go
	github.com/cityhall-khv/cityhall/services/appeals => ../../services/appeals
	github.com/cityhall-khv/cityhall/services/planning => ../../services/planning
	github.com/cityhall-khv/cityhall/services/platform => ../../services/platform
)
