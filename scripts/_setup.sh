# Shared setup for scripts/test and scripts/serve (sourced, not executed).

ensure_venv() {
  # Install from the hash-locked requirements/test.txt (./scripts/lock refreshes it);
  # reinstall only when it or pyproject.toml changed since the last install.
  local stamp=.venv/.installed-from
  if [ -x .venv/bin/python ] && [ -f "$stamp" ] \
    && cat pyproject.toml requirements/test.txt | cmp -s - "$stamp"; then
    return
  fi
  local python=${PYTHON:-python3}
  "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet --require-hashes -r requirements/test.txt
  .venv/bin/python -m pip install --quiet --no-deps -e .
  cat pyproject.toml requirements/test.txt > "$stamp"
}

ensure_chromium() {
  # Browser tests drive Debian's Chromium; Playwright cannot download its own here.
  if [ -x /usr/bin/chromium ]; then
    return
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}

# The Nu HTML Checker (vnu.jar from npm) and a Java runtime to run it: the HTML
# validity test checks one built page of every kind with it.
VNU_VERSION=26.9.27
VNU_DIR=.venv/vnu

ensure_vnu() {
  if ! command -v java >/dev/null 2>&1; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq default-jre-headless >/dev/null
  fi
  if [ -f "$VNU_DIR/.version" ] && [ "$(cat "$VNU_DIR/.version")" = "$VNU_VERSION" ]; then
    return
  fi
  if ! command -v npm >/dev/null 2>&1; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm >/dev/null
  fi
  mkdir -p "$VNU_DIR"
  npm install --silent --no-save --no-audit --no-fund --prefix "$VNU_DIR" "vnu-jar@$VNU_VERSION" >/dev/null
  echo "$VNU_VERSION" > "$VNU_DIR/.version"
}
