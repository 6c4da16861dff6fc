#!/usr/bin/env bash
# Re-record every cassette against the real local model (see ../shared/LOCAL_LLM.md).
#
#   scripts/record-cassettes.sh            # eval cassettes of every prompt + test cassettes
#   scripts/record-cassettes.sh extract@v3 # eval cassettes of one prompt only
#
# Restarts (and if needed fetches and builds) the local server first: answers at
# temperature 0 repeat from a fresh server, while one that has served other requests
# (likely through its RAM prompt cache, llama-server's --cache-ram) answers about half
# of them differently (eval/README.md, "What the interval leaves out"). Recording
# the eval takes a while on 2 CPU cores: minutes per article and prompt (a
# progress bar shows articles x prompts, calls, tokens and the ETA).
#
# The eval recordings go to eval/cassettes/local/<prompt>/, beside those of any
# other model (eval/cassettes/<model>/); the eval refuses to record a different
# model description into a folder whose other prompts were recorded with another.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/local-llm.sh stop
scripts/local-llm.sh start
base_url="http://127.0.0.1:${CLAIMX_LLM_PORT:-8011}/v1"
prompt="${1:-all}"
python -m claimx.eval --record --prompt "$prompt" --no-report \
  --model local --base-url "$base_url" --cassettes eval/cassettes
if [[ "$prompt" == "all" ]]; then
  OPENAI_BASE_URL="$base_url" CLAIMX_MODEL=local CLAIMX_RECORD=all pytest -q -m "cassette" tests
fi
