#!/usr/bin/env bash
# `npm start`: boot the local lab and run the quickstart on it (filled in as the lab and resources land).
set -euo pipefail
cd "$(dirname "$0")/.."
bash lab/lab.sh up
bash lab/lab.sh status
