#!/usr/bin/env bash
# Runs LiveKit's server in development mode on this machine (loopback only), with the API key
# and secret Pluri uses and its webhooks sent to Pluri's /api/livekit/webhook.
#   LIVEKIT_API_KEY / LIVEKIT_API_SECRET   default devkey / secret
#   LIVEKIT_PORT                           default 7880 (then 7881 TCP and 7882 UDP for media)
#   ORIGIN or PORT                         where Pluri listens (default http://localhost:3000)
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/livekit-server.js --foreground
