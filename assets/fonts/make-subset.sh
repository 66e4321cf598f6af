#!/usr/bin/env bash
# Rebuilds incomesim-cjk.otf: a subset of Noto Sans CJK SC Regular (SIL OFL 1.1, from
# Debian's fonts-noto-cjk package) holding Latin, punctuation and the Chinese characters the
# chart labels use (every Han character in src/report/**/*.rs) plus a few common income terms.
# Needs: apt-get install -y fonts-noto-cjk python3-fonttools (or pip install fonttools).
# Run from the repository root after adding Chinese text to the charts.
set -euo pipefail
src=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
extra="城乡收入比 人均可支配收入 城镇 农村 全体居民 基尼系数 泰尔指数 洛伦兹曲线 五等份 低收入组 中间偏下 中间收入组 中间偏上 \
高收入组 工资性收入 经营净收入 财产净收入 转移净收入 最低生活保障 低保 养老金 补贴 就业 培训 脱贫人口 贫困 中位数 平均数 \
目标 基准 改革 贡献 财政成本 亿元 万元 年份 年均增长 政策措施 人口累计占比 收入累计占比 达到 未达到 增长 下降 比例 人数 户数 城乡居民"
text=$(grep -rhoP '\p{Han}' src/report | sort -u | tr -d '\n')
text="$text$(printf '%s' "$extra" | grep -oP '\p{Han}' | sort -u | tr -d '\n')"
printf '%s' "$text" > /tmp/incomesim-cjk-chars.txt
/usr/bin/python3 -m fontTools.subset "$src" --font-number=2 \
  --unicodes='U+0020-007E,U+00A0-00FF,U+2010-2027,U+2030,U+2032,U+2033,U+2212,U+2264,U+2265,U+3000-3011,U+FF01-FF1F' \
  --text-file=/tmp/incomesim-cjk-chars.txt \
  --layout-features='*' --name-IDs='*' --name-legacy --name-languages='*' --no-hinting \
  --output-file=assets/fonts/incomesim-cjk.otf
ls -l assets/fonts/incomesim-cjk.otf
