#!/usr/bin/env bash
# The zero-bias data set zerobias-v1 (../shared/data/zerobias-v1): crossings at pileup mu = 60 for training and for
# calibration (independent seeds), the four signals under the same pileup with no preselection, and streams at
# mu = 20, 40, 80 for the rate-against-pileup scan (bench/rate_vs_pileup.py). Every file's manifest records its
# seeds, pool and hard-tail split; rerunning this script with the same seeds gives the same crossings.
#   bash scripts/zerobias_v1.sh [OUT_DIR] [SCALE]      # SCALE multiplies every count (default 1)
set -euo pipefail
OUT=${1:-../shared/data/zerobias-v1}
SCALE=${2:-1}
mkdir -p "$OUT"
n() { python3 -c "print(max(1000, round($1 * $SCALE)))"; }
gen() { adtrigger generate --workers "${WORKERS:-2}" --quiet "$@"; }

gen -p MinBias --pileup 60 --events "$(n 200000)" --seed 11 --pool-size 50000 -o "$OUT/MinBias_pu60_train.h5"
for sig in A_4l_m50 LQ_btau_m80 h0_tautau_m60 hplus_taunu_m60; do
  gen -p "$sig" --pileup 60 --preselection none --events "$(n 20000)" --seed 21 -o "$OUT/${sig}_pu60.h5"
done
gen -p MinBias --pileup 60 --events "$(n 600000)" --seed 12 --pool-size 50000 -o "$OUT/MinBias_pu60.h5"
for mu in 20 40 80; do
  gen -p MinBias --pileup "$mu" --events "$(n 100000)" --seed $((30 + mu)) -o "$OUT/MinBias_pu${mu}.h5"
done
