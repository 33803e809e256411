#!/usr/bin/env bash
# Builds the Pub/Sub fake from Debian's golang-google-cloud-dev sources (GOPATH mode:
# the packaged sources are not a Go module). Output: test/standins/pstest/bin/pstest-server
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v go >/dev/null 2>&1 || [ ! -d /usr/share/gocode/src/cloud.google.com/go/pubsub/pstest ]; then
  echo "pstest build: needs Debian packages golang-go and golang-google-cloud-dev (apt-get install -y golang-go golang-google-cloud-dev)" >&2
  exit 1
fi
mkdir -p "$here/bin"
cd "$here"
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="${GOCACHE:-/tmp/gw3cx-gocache}" GOFLAGS= \
  go build -o "$here/bin/pstest-server" ./main.go
echo "built $here/bin/pstest-server"
