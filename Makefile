# Cityhall. `make` (or `make help`) lists the targets. Go modules are found from go.work
# (scripts/go-modules.sh), so a new services/<name> module is picked up once it is in go.work.
# The recipes live in scripts/ so that they also run without make (and from .ci/run).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules --no-print-directory

# Knobs (see `make help`).
PKG ?=
TEST_FLAGS ?=
GO_TEST_FLAGS ?= -race -count=1 -p 2 -timeout 20m
ARGS ?=
export PKG TEST_FLAGS GO_TEST_FLAGS

.PHONY: help generate verify tidy lint build run test faults bench clean clean-data

help: ## Show this help
	@echo "Usage: make TARGET [VAR=value]"
	@echo
	@awk 'BEGIN { FS = ":.*## " } /^[a-zA-Z0-9_.-]+:.*## / { printf "  %-12s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@echo
	@echo "Variables:"
	@echo "  PKG=./services/appeals/...  test only these Go packages (skips frontend and e2e tests)"
	@echo "  TEST_FLAGS='-run X -v'      extra go test flags"
	@echo "  GO_TEST_FLAGS='...'         base go test flags (default: $(GO_TEST_FLAGS))"
	@echo "  SKIP_FRONTEND=1             build/test: leave the SPA and its tests out"
	@echo "  ARGS='-demo=false'          extra arguments for \`bin/cityhall run\`"
	@echo "  BENCH_DURATION=15s BENCH_CLIENTS=32,64 BENCH_READ_CLIENTS=32 BENCH_ROWS=1000000"
	@echo "                              make bench: per-scenario time, clients, dataset (scripts/bench.sh)"

generate: ## Regenerate protobuf/gRPC/OpenAPI code, sqlc code and the frontend API client
	@scripts/generate.sh

verify: ## Regenerate and fail on any diff; buf lint + breaking; go mod tidy -diff per module
	@scripts/verify.sh

tidy: ## Run `go mod tidy` in every module on its own (GOWORK=off), as verify expects
	@for round in 1 2; do \
	  for m in $$(scripts/go-modules.sh --all); do \
	    (cd "$$m" && GOWORK=off go mod tidy); \
	  done; \
	done
	@echo "tidy: done (two rounds, so sibling modules see each other's tidied requirements)"

lint: ## gofmt, go vet, golangci-lint (with the import rule) over every module; frontend typecheck
	@scripts/lint.sh

build: ## Build bin/cityhall, compile every module and build the SPA (frontend/dist) if stale
	go build -o bin/cityhall ./cmd/cityhall
	go build $$(scripts/go-modules.sh --patterns)
	@scripts/frontend-build.sh

run: build ## Build, then start everything on this machine (bin/cityhall run)
	bin/cityhall run $(ARGS)

test: ## Go tests with -race over every module (one go test), frontend unit and browser tests
	@scripts/test.sh

faults: ## Fault tests, long form (kill -9, broker outage, database restart): prints the matrix
	@scripts/faults.sh

bench: ## Benchmarks vs a pgbench baseline in the same run (~5 min; not in test): prints the table
	@scripts/bench.sh

clean: ## Remove build outputs (bin/); keeps local data (.data/)
	rm -rf bin

clean-data: ## Remove local data (.data/: PostgreSQL cluster, NATS storage); stops the cluster first
	@if [[ -f .data/postgres/postmaster.pid ]]; then \
	  pgctl="$$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1 || true)"; \
	  owner="$$(stat -c %U .data/postgres)"; \
	  echo "stopping the PostgreSQL cluster in .data/postgres (as $$owner)"; \
	  if [[ "$$(id -un)" == "$$owner" ]]; then "$${pgctl:-pg_ctl}" -D .data/postgres -m fast stop || true; \
	  else runuser -u "$$owner" -- "$${pgctl:-pg_ctl}" -D "$$PWD/.data/postgres" -m fast stop || true; fi; \
	fi
	rm -rf .data
