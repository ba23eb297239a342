# Shared setup for scripts/test and scripts/serve (sourced, not executed).

ensure_venv() {
  # Reinstall only when pyproject.toml changed since the last install.
  local stamp=.venv/.installed-from
  if [ -x .venv/bin/python ] && [ -f "$stamp" ] && cmp -s pyproject.toml "$stamp"; then
    return
  fi
  local python=${PYTHON:-python3}
  "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[test]'
  cp pyproject.toml "$stamp"
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
