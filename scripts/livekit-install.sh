#!/usr/bin/env bash
# Builds LiveKit's own server from its Go module (the video of the live meeting).
# Cached by Go: a second run only checks. Without Go, says why and succeeds, so `npm test`
# goes on and skips the video tests with that reason.
set -euo pipefail
VERSION="v1.13.5"
MODULE="github.com/livekit/livekit-server/cmd/server"

if ! command -v go >/dev/null 2>&1; then
	echo "LiveKit : Go n'est pas installé sur cette machine, le serveur vidéo local n'est pas construit."
	echo "         Les tests vidéo seront ignorés ; Pluri fonctionne sans vidéo ou avec LIVEKIT_URL."
	exit 0
fi

bin="$(go env GOPATH)/bin/server"
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "${VERSION#v}"; then
	echo "LiveKit : serveur ${VERSION} déjà construit ($bin)."
	exit 0
fi

echo "LiveKit : construction du serveur ${VERSION} (go install, quelques minutes la première fois)…"
start=$(date +%s)
go install "${MODULE}@${VERSION}"
echo "LiveKit : serveur construit en $(( $(date +%s) - start )) s : $bin"
