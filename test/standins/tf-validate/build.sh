#!/usr/bin/env bash
# Builds tf-validate from Debian's packaged HCL v2 sources (GOPATH mode, offline).
# Output: test/standins/tf-validate/bin/tf-validate
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v go >/dev/null 2>&1 || [ ! -d /usr/share/gocode/src/github.com/hashicorp/hcl/v2/json ]; then
  echo "tf-validate build: needs Debian packages golang-go and golang-github-hashicorp-hcl-v2-dev (apt-get install -y golang-go golang-github-hashicorp-hcl-v2-dev)" >&2
  exit 1
fi
mkdir -p "$here/bin"
cd "$here"
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="${GOCACHE:-/tmp/gw3cx-gocache}" GOFLAGS= \
  go build -o "$here/bin/tf-validate" ./main.go
echo "built $here/bin/tf-validate"
