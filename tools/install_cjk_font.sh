#!/usr/bin/env bash
# Optional setup step: a CJK font so plots can show Chinese labels (e.g. 考察期).
# Installs Debian's fonts-wqy-microhei (1.6 MB, Apache-2.0/GPL) when running as root on a
# Debian/Ubuntu machine. It never fails the setup: without the font, crmlab's plots leave the
# Chinese labels out instead of drawing empty boxes.
set -u
have_font() {
  [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] && return 0
  command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . && return 0
  return 1
}
have_font && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  if apt-get install -y -q fonts-wqy-microhei >/dev/null 2>&1 \
     || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q fonts-wqy-microhei >/dev/null 2>&1; }; then
    rm -f "${MPLCONFIGDIR:-$HOME/.cache/matplotlib}"/fontlist-*.json  # let matplotlib see it
    echo "installed fonts-wqy-microhei for Chinese plot labels"
    exit 0
  fi
fi
echo "note: no CJK font found; plots will show English labels only" \
     "(install fonts-wqy-microhei or fonts-noto-cjk to see Chinese labels)"
exit 0
