#!/bin/sh
# Generates the embedding models the tests (tiny functional BERT) and benchmarks (MiniLM-shaped,
# random weights) use, into the git-ignored .cache/models. Idempotent; about two seconds.
# Needs Debian's python3-onnx and python3-numpy. The knowledge tests also call this on demand.
set -e
cd "$(dirname "$0")/.."
models=.cache/models
missing=""
[ -f "$models/ares-test/tiny-bert/onnx/model.onnx" ] || missing="$missing tiny"
[ -f "$models/ares-bench/minilm-shaped-random/onnx/model_quantized.onnx" ] || missing="$missing minilm"
if [ -n "$missing" ]; then
  /usr/bin/python3 scripts/generate-models.py "$models" $missing
fi
