#!/usr/bin/env bash
# Installs what the VS Code end-to-end tests need, idempotently:
#   - Debian packages: Chromium (driven by playwright-core), ripgrep and the headers code-server's
#     native modules build against;
#   - code-server 4.100.3 (VS Code 1.100.3; the newest that runs on Node 20) into a cache folder
#     outside the workspace's node_modules: ${XDG_CACHE_HOME:-$HOME/.cache}/retrylint/code-server-4.100.3.
# Prints the code-server executable's path on its last line.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/retrylint"
PREFIX="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION"
BIN="$PREFIX/node_modules/.bin/code-server"
APT_PACKAGES=(chromium ripgrep libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev pkg-config)

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if [[ ! -x "$BIN" ]] || ! "$BIN" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION"; then
  # @vscode/ripgrep's postinstall downloads rg; seed its download cache with Debian's binary.
  seed_dir="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
  seed="$seed_dir/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  if [[ ! -s "$seed" ]]; then
    mkdir -p "$seed_dir"
    staging="$(mktemp -d)"
    cp "$(command -v rg)" "$staging/rg"
    tar -czf "$seed" -C "$staging" rg
    rm -rf "$staging"
  fi
  echo "installing code-server $CODE_SERVER_VERSION into $PREFIX (a few minutes)" >&2
  mkdir -p "$PREFIX"
  # npm_config_yes: node-pty's postinstall runs `npx node-gyp`; --unsafe-perm: CI runs as root.
  npm_config_yes=true npm install --no-audit --no-fund --no-save --unsafe-perm --prefix "$PREFIX" "code-server@$CODE_SERVER_VERSION" >&2
fi

"$BIN" --version >&2
echo "$BIN"
