#!/bin/sh
# Writes the man page and the bash completion of the lightpath executable $1 into directory $2.
set -e
"$1" man >"$2/lightpath.1"
"$1" completion bash >"$2/lightpath.bash"
